# A priority queue on a plain list: heapq keeps the smallest item at index 0, so each push and
# pop costs O(log n) moves instead of sorting the whole list again.
import heapq

jobs = []
for priority, name in [(3, "backup"), (1, "page oncall"), (4, "rotate logs"), (2, "deploy"), (1, "ack alert")]:
    heapq.heappush(jobs, (priority, name))  # ties on priority fall back to comparing names
    print("pushed", name.ljust(12), "heap now", [p for p, _ in jobs])

while jobs:
    priority, name = heapq.heappop(jobs)
    print("run", priority, name)

# heapify turns a list into a heap in place in linear time; nlargest/nsmallest use a heap too.
scores = [88, 42, 97, 63, 75, 97, 51]
heapq.heapify(scores)
print("heapified:", scores, "smallest:", scores[0])
print("top 3:", heapq.nlargest(3, scores), "bottom 2:", heapq.nsmallest(2, scores))
# merge lazily combines already sorted inputs.
print("merged:", list(heapq.merge([1, 5, 9], [2, 3, 10], [4])))
