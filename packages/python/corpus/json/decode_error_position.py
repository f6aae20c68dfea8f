# A JSONDecodeError is a ValueError that says where the document went wrong: the character
# index, and the line and column counted from 1, as well as the bare message.
import json

documents = [
    '{"name": "ada",\n "age": 36,\n "langs": ["en", "fr",]\n}',
    '{"name": "ada" "age": 36}',
    '[1, 2, 3] and more',
    '{"note": "unfinished',
    "",
]
for doc in documents:
    try:
        json.loads(doc)
    except json.JSONDecodeError as e:
        print(f"{e.msg!r} at char {e.pos}, line {e.lineno}, column {e.colno}")
        print("  ", e)
        print("   is a ValueError:", isinstance(e, ValueError))
