# json.dumps remembers the id of every list and dict it is inside of; meeting one of them
# again means the data refers to itself, which JSON cannot write.
import json

todo = ["write", "test"]
todo.append(todo)
try:
    json.dumps(todo)
except ValueError as e:
    print("dumps:", e)

# The same object twice, side by side, is not a cycle: it is written twice.
shared = {"x": 1}
print(json.dumps([shared, shared]))

# Without the check, the encoder goes down until the recursion limit stops it.
try:
    json.dumps(todo, check_circular=False)
except RecursionError as e:
    print("unchecked:", e)
