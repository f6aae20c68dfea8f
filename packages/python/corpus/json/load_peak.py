# tracemalloc sees a parsed document as the objects json.loads made: after the call the traced
# memory has grown by the tree (lists, dicts, strs, floats and the ints that are not cached).
# The peak is a little higher: after the document, decode() skips trailing whitespace with a
# regular expression, whose match object and work space exist while the whole tree does.
import json
import tracemalloc

records = [{"id": 1000 + i, "name": f"user{i}", "score": i / 4, "tags": ["a", "b"]}
           for i in range(200)]
text = json.dumps(records)
del records

tracemalloc.start()
before, _ = tracemalloc.get_traced_memory()
tree = json.loads(text)
after, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

print("records:", len(tree))
print("the tree takes", after - before, "bytes")
print("the peak was", peak - after, "bytes above that")
