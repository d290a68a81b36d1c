"""Python's re API, one call a line; Listing 13-2 prints the same lines."""
import re

log = "2024-05-01 ERROR 磁盘 full\n2024-05-02 INFO ok\n"
regex = re.compile(r"(?P<date>\d{4}-\d\d-\d\d) (?P<level>[A-Z]+) (\w+)")

print("pattern    ", regex.pattern)
print("groups     ", regex.groups)
print("groupindex ", dict(regex.groupindex))

print("search     ", regex.search(log).group())
print("match      ", regex.match(log).group("level"))
print("match pos=1", regex.match(log, 1))
print("fullmatch  ", regex.fullmatch("2024-05-02 INFO ok").span())
print("fullmatch  ", regex.fullmatch(log))
print("findall    ", regex.findall(log))
print("finditer   ", [m.span() for m in regex.finditer(log)])
print("split      ", re.split(r"\s+", "a  b\tc"))
print("split (…)  ", re.split(r"(\s+)", "a  b\tc"))
print("sub        ", re.sub(r"(\d+)-(\d+)-(\d+)", r"\3/\2/\1", "2024-05-01"))
print("subn       ", re.subn(r"\d", "#", "a1b22"))

m = regex.search(log, 1)  # pos=1: the search starts at character 1
print("pos endpos ", m.pos, m.endpos)
print("string re  ", m.string == log, m.re is regex)
print("lastgroup  ", m.lastgroup, m.lastindex)
print("span       ", m.span(), m.start(), m.end())
print("group      ", m.group(), m.group(1), m.group("level"), m.group(3))
print("groups     ", m.groups())
print("groupdict  ", m.groupdict())

optional = re.match(r"(a)(b)?", "ac")
print("optional   ", optional.groups(), optional.lastindex)
print("nested     ", re.match(r"(a(b))", "ab").lastindex)

first = regex.match(log)
print("span(3)    ", first.span(3), first.group(3))
