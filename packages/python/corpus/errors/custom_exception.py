# A custom exception class that nobody catches: the traceback names the class and its message.
class ValidationError(Exception):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field


def validate(record):
    if "age" not in record:
        raise ValidationError("age", "missing")
    if record["age"] < 0:
        raise ValidationError("age", "must not be negative")
    return True


print("first record ok:", validate({"age": 3}))
validate({"age": -1})
