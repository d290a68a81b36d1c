# The notes' example in Python, with the notes' names. Prints what
# Listing 12-4 prints (True and False capitalised).
高大 = 1 << 0  # TALL
技术 = 1 << 1  # SKILLED
有钱 = 1 << 2  # RICH
激情 = 1 << 3  # PASSIONATE
幽默 = 1 << 4  # HUMOROUS
NAMES = [
    (高大, "TALL"),
    (技术, "SKILLED"),
    (有钱, "RICH"),
    (激情, "PASSIONATE"),
    (幽默, "HUMOROUS"),
]


def show(what, attrs):
    names = "|".join(name for bit, name in NAMES if attrs & bit) or "(none)"
    print(f"{what:<20} {attrs:#07b} = {attrs:>2}  {names}")


show("all five", 高大 | 技术 | 有钱 | 激情 | 幽默)
show("the first four", 高大 | 技术 | 有钱 | 激情)
person = 技术 | 激情
show("SKILLED | PASSIONATE", person)
person = person | 高大  # the notes: object.attr = object.attr | 高大
show("|= TALL", person)
person |= 高大
show("|= TALL again", person)
print(f"person & RICH    = {person & 有钱}")  # the notes: --> True|False
print(f"person & SKILLED = {person & 技术}")
print(f"has SKILLED: {person & 技术 != 0}")
person &= ~技术  # ~ has no width: ~2 is -3, ...11101 forever
show("&= !SKILLED", person)
person ^= 幽默
show("^= HUMOROUS", person)
person ^= 幽默
show("^= HUMOROUS again", person)
wanted = 高大 | 激情
print(f"has all of TALL, PASSIONATE: {person & wanted == wanted}")
either = 有钱 | 幽默
print(f"has any of RICH, HUMOROUS:   {person & either != 0}")
