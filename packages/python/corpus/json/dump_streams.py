# json.dump does not build the document first: it writes it to the file piece by piece, as
# the encoder's generators yield them, so only one small piece exists at a time. json.dumps
# returns the whole text as one str.
import json


class Recorder:
    def __init__(self):
        self.pieces = []

    def write(self, text):
        self.pieces.append(text)


data = {"name": "ada", "langs": ["en", "fr"], "age": 36, "admin": False}

out = Recorder()
json.dump(data, out)
print("dump made", len(out.pieces), "write calls:", out.pieces)
print("the same text as dumps:", "".join(out.pieces) == json.dumps(data))

pretty = Recorder()
json.dump(data, pretty, indent=2)
print("with indent:", len(pretty.pieces), "write calls")
print("".join(pretty.pieces))
