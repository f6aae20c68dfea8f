# Passing an object to a function adds references for the duration of the call.
import sys


def inside(obj):
    # The caller's name, the parameter, and getrefcount's own argument.
    return sys.getrefcount(obj)


def inside_nested(obj):
    # One more frame in between adds one more parameter reference.
    return inside(obj)


thing = [0] * 4
print("outside:", sys.getrefcount(thing))
print("inside one call:", inside(thing))
print("inside two calls:", inside_nested(thing))
# When the calls return, their references are gone again.
print("after calls:", sys.getrefcount(thing))
