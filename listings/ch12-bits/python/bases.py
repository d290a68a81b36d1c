# What Listing 12-3 prints, computed by Python itself: int(s, 0) reads
# each argument, bin, oct and hex print it, and masking with 0xffff shows
# the 16 bits an i16 would hold.
import sys

print(f"{'input':<12} {'value':>6}  {'bin(x)':<19} {'oct(x)':<9} {'hex(x)':<7} i16 bits")
for text in sys.argv[1:]:
    value = int(text, 0)
    if -(1 << 15) <= value < 1 << 15:
        bits = format(value & 0xFFFF, "016b")
    else:
        bits = "(not an i16)"
    print(f"{text:<12} {value:>6}  {bin(value):<19} {oct(value):<9} {hex(value):<7} {bits}")
