# textwrap formats prose for a fixed width: wrap and fill break at spaces and after hyphens,
# shorten collapses and truncates, dedent and indent move whole blocks.
import textwrap

text = ("Python's memory manager keeps small objects in pools of fixed-size blocks, "
        "hands whole arenas back to the system when they empty, and counts references "
        "so that most objects are freed the moment the last one goes away.")
for width in (30, 45):
    print(textwrap.fill(text, width))
    print("-" * width)
print(textwrap.wrap(text, 25, max_lines=3, placeholder=" ..."))
print(textwrap.shorten(text, 50))
block = """
    def f(x):
        return x + 1
"""
print(textwrap.dedent(block))
print(textwrap.indent("first\n\nsecond\n", "| "))
