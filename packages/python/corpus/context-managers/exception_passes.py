# When the body raises, __exit__ sees the exception; returning False lets it propagate.
class Watch:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit saw", exc_type.__name__, "-", exc)
        print("traceback present:", tb is not None)
        return False


try:
    with Watch():
        print("about to fail")
        {}["missing"]
        print("not reached")
except KeyError as e:
    print("caught outside:", repr(e))
