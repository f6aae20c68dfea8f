# Keeping a list sorted as it grows: bisect finds where an item belongs by halving the search
# range, and insort puts it there, so the list never needs a full sort.
import bisect

thresholds = [60, 70, 80, 90]
grades = "FDCBA"
for score in [55, 60, 79, 80, 95]:
    print(score, "->", grades[bisect.bisect(thresholds, score)])

readings = []
for value in [42, 7, 19, 42, 3, 28]:
    bisect.insort(readings, value)
    print("insert", value, "->", readings)

# bisect_left stops before equal items, bisect_right (bisect) after them: together they count them.
print("42 appears", bisect.bisect_right(readings, 42) - bisect.bisect_left(readings, 42), "times")
# key= searches records by one field; the list must be sorted by that field.
events = [("boot", 0), ("login", 12), ("logout", 40)]
bisect.insort(events, ("update", 25), key=lambda e: e[1])
print(events, "first at or after t=20:", events[bisect.bisect_left(events, 20, key=lambda e: e[1])][0])
