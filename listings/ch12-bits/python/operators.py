# The expressions of Listing 12-1 in Python, where an int has no fixed
# width.
a = 0b1100  # 12
b = 0b1010  # 10
print(f"a      = {a:#06b} = {a}")
print(f"b      = {b:#06b} = {b}")
print(f"a & b  = {a & b:#06b} = {a & b}")
print(f"a | b  = {a | b:#06b} = {a | b}")
print(f"a ^ b  = {a ^ b:#06b} = {a ^ b}")
print(f"(a | b) - (a & b) = {(a | b) - (a & b)}")
print(f"a << 2 = {a << 2} = a * 4")
print(f"a >> 2 = {a >> 2} = a // 4")
print(f"~5                = {~5}")  # -x - 1: no width to flip within
print(f"~5 & 0xff         = {~5 & 0xff} = {~5 & 0xff:#010b}")  # keep 8 bits
print(f"~5 & 0xffff_ffff  = {~5 & 0xffff_ffff}")  # keep 32 bits
print(f"-5 >> 1                  = {-5 >> 1}")  # floor division by 2
print(f"(-5 & 0xffff_ffff) >> 1  = {(-5 & 0xffff_ffff) >> 1}")
print(f"-5 // 2                  = {-5 // 2}")  # rounds down
print(f"0x80 << 1  = {0x80 << 1}")  # the int grows instead
print(f"1 << 31    = {1 << 31}")
print(f"1 << 100   = {1 << 100}")
