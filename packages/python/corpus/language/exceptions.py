# try/except/else/finally: which blocks run when, and how custom exception classes are matched.
class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__(f"no such key: {key}")
        self.key = key


def lookup(table, key):
    try:
        value = table[key]
    except KeyError:
        raise NotFound(key)
    else:
        print("  else: found", key)
        return value
    finally:
        print("  finally for", key)


data = {"a": 1}
for key in ["a", "b"]:
    try:
        print("result:", lookup(data, key))
    except AppError as e:
        print("AppError caught:", type(e).__name__, "-", e, "- key", e.key)

try:
    int("twelve")
except (TypeError, ValueError) as e:
    print("caught:", e)
print("args:", NotFound("z").args)
