# Which names can be variables: str.isidentifier checks the spelling, and the keyword module lists
# the reserved words that parse as syntax instead (soft keywords like match stay usable as names).
import keyword

for word in ["total", "class", "match", "_", "2fast", "None", "print", "async", "case"]:
    print(f"{word!r:10} identifier={word.isidentifier()!s:5} keyword={keyword.iskeyword(word)!s:5} "
          f"soft={keyword.issoftkeyword(word)}")
print(len(keyword.kwlist), "keywords; the soft ones:", keyword.softkwlist)

match = "a soft keyword is still a valid name"
print(match)
