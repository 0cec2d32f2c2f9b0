#!/usr/bin/env python3
"""Regenerate the QR code reference fixtures in this directory from segno.

The Swift tests (Tests/EvoformRenderingTests/QR*Tests.swift) compare evoform's own QR encoder
with these files; they never run Python. Run this only to re-record or extend the fixtures:

    python3 -m venv /tmp/qrvenv
    /tmp/qrvenv/bin/pip install segno==1.6.6
    /tmp/qrvenv/bin/python Tests/Fixtures/qr/generate.py

segno (https://github.com/heuer/segno, pure Python, ISO/IEC 18004:2015) is the reference.
Every code is made in byte mode from the UTF-8 bytes of the text, never a Micro QR code, with
boost_error=False (segno would otherwise raise the error correction level when the symbol has
room to spare) and no ECI header: exactly what evoform's encoder does. One segno bug is patched
before anything is generated: see _write_padding_bits below.

Files written:

  NAME.txt        One symbol. First line: the parameters as one JSON object
                    {"text": ..., "level": "L|M|Q|H", "version": V, "mask": K, "forced": bool}
                  where "forced" tells whether the mask was forced (true) or chosen by segno's
                  penalty evaluation (false). Then `size` rows of `size` characters, 1 for a
                  dark module and 0 for a light one, top row first, no quiet zone.
  auto-masks.json A sweep of inputs with only the mask segno chose for each ("mask"), to compare
                  the automatic mask choice broadly without storing every matrix, and the mask
                  segno chooses once its N3 rule counts every finder-like pattern
                  ("maskCountingEveryPattern", see n3_every_occurrence below).
  penalties.json  For a few inputs: the final codeword sequence (hex) and, for each of the
                  eight masks, segno's penalty scores [N1, N2, N3, N4] of the symbol as it is
                  evaluated (masked, with the format and version areas still light).
  tables.json     segno's tables for every version and level: error correction block
                  structure, byte-mode capacity, alignment pattern positions, format and
                  version information words.

Cross-check: if python-qrcode is installed too (`/tmp/qrvenv/bin/pip install qrcode==8.2`), every
NAME.txt is also made with it at the same version and mask and must be identical: an independent
second encoder confirms the symbols, including the padding fix. Its automatic mask choice is not
compared: its N3 rule ignores the quiet zone and counts 0000 1011101 0000 twice, so it picks
another mask than segno for about 45 % of the sweep inputs.

The inputs are fixed below; the pseudo-random pairing codes come from a seeded generator, so
rerunning produces identical files.
"""

import base64
import json
import os
import random

import segno
from segno import consts, encoder



def _write_padding_bits(buff, version, length):
    """segno 1.6.6 appends 8 zero bits when the bit stream already ends on a codeword boundary
    (open issues heuer/segno#123 and #148), which shifts the pad codewords by one. ISO/IEC
    18004:2015 §7.4.10 pads only to the boundary; evoform does that, so the reference does too."""
    if version not in (consts.VERSION_M1, consts.VERSION_M3):
        buff.extend([0] * (-length % 8))


encoder.write_padding_bits = _write_padding_bits

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = {"L": consts.ERROR_LEVEL_L, "M": consts.ERROR_LEVEL_M,
          "Q": consts.ERROR_LEVEL_Q, "H": consts.ERROR_LEVEL_H}


def pairing_code(rng, reference_bytes=60):
    """A string shaped like the Evolution API / Baileys pairing code: 2@ref,key,key,secret."""
    def b64(count):
        return base64.b64encode(bytes(rng.randrange(256) for _ in range(count))).decode("ascii")
    return "2@" + ",".join([b64(reference_bytes), b64(32), b64(32), b64(32)])


def text_of_length(rng, length, alphabet=None):
    alphabet = alphabet or "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=,@"
    return "".join(rng.choice(alphabet) for _ in range(length))


def byte_version(data, level):
    segments = encoder.prepare_data(data, consts.MODE_BYTE, None)
    return encoder.find_version(segments, LEVELS[level], eci=False, micro=False)


def make(text, level, mask=None):
    data = text.encode("utf-8")
    code = segno.make_qr(data, error=level, mode="byte", mask=mask, boost_error=False)
    assert code.mode == "byte", code.mode
    assert code.designator.endswith(level), (code.designator, level)
    return code


def n3_every_occurrence(matrix, size):
    """N3 as ISO/IEC 18004:2015 Table 11 states it: 40 points for every 1011101 pattern in a row
    or column with four light modules before or after it (the quiet zone beyond the edge is
    light). segno 1.6.6 resumes its search 7 modules after a counted pattern, so it misses a
    second pattern that overlaps the first, as in 0000 1011101 011101 0000 (shared module in
    the middle): it scores 40 where the rule gives 80. That changes the chosen mask for a few
    inputs; evoform counts every pattern."""
    lines = [list(row) for row in matrix] + [[matrix[y][x] for y in range(size)] for x in range(size)]
    score = 0
    for line in lines:
        padded = [0] * 4 + line + [0] * 4
        for start in range(4, size - 2):
            if padded[start:start + 7] == [1, 0, 1, 1, 1, 0, 1] and (
                    not any(padded[start - 4:start]) or not any(padded[start + 7:start + 11])):
                score += 40
    return score


def mask_counting_every_pattern(text, level):
    """The mask segno picks when its N3 counts every pattern (n3_every_occurrence)."""
    original = encoder.evaluate_mask

    def evaluate(matrix, width, height):
        n1, n2, _, n4 = encoder.mask_scores(matrix, width, height)
        return n1 + n2 + n3_every_occurrence(matrix, width) + n4

    encoder.evaluate_mask = evaluate
    try:
        return make(text, level).mask
    finally:
        encoder.evaluate_mask = original


def write_symbol(name, text, level, mask=None, expected_version=None):
    code = make(text, level, mask)
    if expected_version is not None:
        assert code.version == expected_version, (name, code.version, expected_version)
    if mask is not None:
        assert code.mask == mask
    else:
        # Symbols with an automatic mask are only useful where both N3 readings agree.
        assert code.mask == mask_counting_every_pattern(text, level), name
    header = {"text": text, "level": level, "version": code.version, "mask": code.mask,
              "forced": mask is not None}
    rows = ["".join("1" if module else "0" for module in row) for row in code.matrix]
    assert len(rows) == 17 + 4 * code.version
    cross_check_with_python_qrcode(name, text, level, code.version, code.mask, rows)
    with open(os.path.join(HERE, name + ".txt"), "w", encoding="utf-8") as file:
        file.write(json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n")
        file.write("\n".join(rows) + "\n")
    print(f"{name}: version {code.version}-{level}, mask {code.mask}, {len(text.encode())} bytes")


def cross_check_with_python_qrcode(name, text, level, version, mask, rows):
    try:
        import qrcode
        from qrcode.util import QRData, MODE_8BIT_BYTE
    except ImportError:
        return
    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(version=version, error_correction=levels[level], border=0, mask_pattern=mask)
    code.add_data(QRData(text.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make(fit=False)
    other = ["".join("1" if module else "0" for module in row) for row in code.modules]
    assert other == rows, f"{name}: python-qrcode disagrees with segno"


def evaluated_symbols(text, level):
    """The final codewords and the eight masked symbols exactly as segno scores them.

    Mirrors segno.encoder._encode up to find_and_apply_best_mask (segno 1.6.6).
    """
    error = LEVELS[level]
    segments = encoder.prepare_data(text.encode("utf-8"), consts.MODE_BYTE, None)
    version = encoder.find_version(segments, error, eci=False, micro=False)
    buff = encoder.Buffer()
    for segment in segments:
        encoder.write_segment(buff, segment, None, encoder.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][error]
    encoder.write_terminator(buff, capacity, None, len(buff))
    encoder.write_padding_bits(buff, version, len(buff))
    encoder.write_pad_codewords(buff, version, capacity, len(buff))
    final = encoder.make_final_message(version, error, buff)
    bits = final.getbits()
    codeword_bits = len(bits) - len(bits) % 8
    codewords = bytes(int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, codeword_bits, 8))
    width = encoder.calc_matrix_size(version)
    matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(matrix, width, width)
    encoder.add_alignment_patterns(matrix, width, width)
    encoder.add_codewords(matrix, final, version)
    function_matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_matrix, width, width)
    encoder.add_alignment_patterns(function_matrix, width, width)
    function_matrix[-8][8] = 0x1
    scores = []
    for pattern in encoder.get_data_mask_functions(False):
        masked = [bytearray(row) for row in matrix]
        encoder.apply_mask(masked, pattern, width, width, lambda i, j: function_matrix[i][j] > 0x1)
        scores.append(list(encoder.mask_scores(masked, width, width)))
    return version, codewords.hex(), scores


def write_tables():
    levels = {}
    for name, error in LEVELS.items():
        # Byte capacity: the most bytes for which segno still picks this version or a smaller one.
        capacity = {}
        for count in range(1, 2954):
            try:
                version = byte_version(b"\0" * count, name)
            except segno.DataOverflowError:
                break
            for smaller in range(version, 41):
                capacity[smaller] = count
        versions = []
        for version in range(1, 41):
            blocks = [[ec.num_blocks, ec.num_total, ec.num_data] for ec in consts.ECC[version][error]]
            versions.append({"version": version, "blocks": blocks, "byteCapacity": capacity.get(version, 0)})
        levels[name] = versions
    format_words = {}
    for name, start in (("M", 0), ("L", 8), ("H", 16), ("Q", 24)):
        format_words[name] = list(consts.FORMAT_INFO[start:start + 8])
    tables = {
        "levels": levels,
        "alignmentPositions": [[]] + [list(positions) for positions in consts.ALIGNMENT_POS],
        "formatInformation": format_words,
        "versionInformation": {str(version): word for version, word
                               in zip(range(7, 41), consts.VERSION_INFO)},
    }
    with open(os.path.join(HERE, "tables.json"), "w", encoding="utf-8") as file:
        json.dump(tables, file, sort_keys=True, separators=(",", ":"))
        file.write("\n")
    print("tables.json")


def main():
    rng = random.Random(7)
    assert segno.__version__ == "1.6.6", "fixtures were recorded with segno 1.6.6"

    # Forced masks: every mask 0-7 once, across levels and the versions the brief names.
    write_symbol("v1-L-mask0", "evoform", "L", 0, 1)
    write_symbol("v1-H-mask7", "Hi, QR!", "H", 7, 1)  # exactly the 7 bytes version 1-H holds
    write_symbol("v2-M-mask1", "https://evo.example/pair", "M", 1, 2)
    write_symbol("v7-Q-mask2", pairing_code(rng, 12)[:80], "Q", 2, 7)  # first version with version information
    write_symbol("v10-H-mask3", pairing_code(rng, 2)[:110], "H", 3, 10)  # first with a 16-bit count
    write_symbol("v15-M-mask4", pairing_code(rng, 240)[:380], "M", 4, 15)
    write_symbol("v25-L-mask5", "Olá, evoform ✓ " * 66, "L", 5, 25)  # multi-byte UTF-8, 1188 bytes
    write_symbol("v40-L-mask6", text_of_length(rng, 2953), "L", 6, 40)  # the largest symbol, full
    write_symbol("v40-H-mask7", text_of_length(rng, 1250), "H", 7, 40)

    # Masks chosen by segno's penalty evaluation.
    write_symbol("auto-pairing-M", pairing_code(rng), "M")  # what `evoform qr` draws
    write_symbol("auto-pairing-L", pairing_code(rng), "L")
    write_symbol("auto-hello-Q", "HELLO WORLD", "Q")
    write_symbol("auto-v7-H", text_of_length(rng, 60), "H", None, 7)

    sweep = []
    for index in range(64):
        level = "LMQH"[index % 4]
        length = rng.choice([1, 5, 17, 30, 60, 100, 150, 217, 260, 320, 500, 900])
        text = pairing_code(rng)[:length] if index % 3 else text_of_length(rng, length)
        code = make(text, level)
        sweep.append({"text": text, "level": level, "version": code.version, "mask": code.mask,
                      "maskCountingEveryPattern": mask_counting_every_pattern(text, level)})
    with open(os.path.join(HERE, "auto-masks.json"), "w", encoding="utf-8") as file:
        json.dump(sweep, file, indent=1, sort_keys=True)
        file.write("\n")
    differing = sum(entry["mask"] != entry["maskCountingEveryPattern"] for entry in sweep)
    print(f"auto-masks.json: {len(sweep)} inputs, {differing} where counting every N3 pattern changes the mask")

    penalties = []
    for text, level in (("evoform", "M"), ("HELLO WORLD", "Q"), (pairing_code(rng), "M"),
                        (text_of_length(rng, 150), "L")):
        version, codewords, scores = evaluated_symbols(text, level)
        penalties.append({"text": text, "level": level, "version": version,
                          "codewords": codewords, "scores": scores})
    with open(os.path.join(HERE, "penalties.json"), "w", encoding="utf-8") as file:
        json.dump(penalties, file, indent=1, sort_keys=True)
        file.write("\n")
    print(f"penalties.json: {len(penalties)} inputs")

    write_tables()


if __name__ == "__main__":
    main()
