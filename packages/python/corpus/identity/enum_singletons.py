# Enum members are made once, when the class statement runs, and kept by the class: looking a
# member up by attribute, by value or by name gives the same object, and naming it more times
# only adds references to that one object. Deleting every name leaves the class's own.
import sys
from enum import Enum


class Color(Enum):
    RED = 1
    GREEN = 2
    CRIMSON = 1  # an alias: another name for RED


red = Color.RED
print(red is Color(1) is Color["RED"] is Color.CRIMSON, id(red) == id(Color(1)))
before = sys.getrefcount(red)
names = [Color.RED for _ in range(10)]
print("ten more names:", sys.getrefcount(red) - before)
del names
print("after del:", sys.getrefcount(red) - before)
# The class's dict, its name-to-member map and its value-to-member map each hold GREEN, and
# getrefcount's argument is the fourth reference.
print("GREEN's references:", sys.getrefcount(Color.GREEN))
print(len(Color), list(Color))
