# An exception group nobody catches: the report draws each member in a numbered box.
# Members that are groups themselves get a box one level further in; a member's own traceback
# and notes print inside its box, after a "| " margin.


def check(value):
    if value < 0:
        raise ValueError(f"{value} is negative")
    if value > 100:
        error = OverflowError(f"{value} is too big")
        error.add_note("the limit is 100")
        raise error


def check_all(values):
    problems = []
    for v in values:
        try:
            check(v)
        except (ValueError, OverflowError) as e:
            problems.append(e)
    if problems:
        raise ExceptionGroup("invalid values", [*problems, ExceptionGroup("nested", [KeyError("k")])])


try:
    check_all([5, -1, 500])
except* KeyError:
    print("the KeyError was handled; the rest propagates")
