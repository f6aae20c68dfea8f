# gc.get_referrers finds the tracked containers that refer to an object.
import gc


def count_referrers():
    target = ["target"]
    box1 = [target]
    box2 = {"t": target}
    box3 = (target, target)
    found = gc.get_referrers(target)
    # The three boxes; the tuple is reported once even though it holds two references.
    return len(found), any(r is box1 for r in found), any(r is box2 for r in found)


print("referrers:", count_referrers())
