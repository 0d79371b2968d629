"""A strict reader for WebVTT captions, enough to refuse a file a browser would not show.

It follows the parts of the W3C WebVTT format that decide whether captions
appear at all: the ``WEBVTT`` signature, blocks separated by blank lines, and
cue timings ``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt`` with the end after the start
and cues in order of their start time. Cue text and settings are not judged.
"""

import re
from dataclasses import dataclass

TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t]+.*)?$")
SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")


class CaptionsError(ValueError):
    """The captions are not valid WebVTT; the message says where and why."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(hours, minutes, seconds, millis):
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_webvtt(data):
    """The cues of a WebVTT file given as bytes or text; raises CaptionsError."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CaptionsError("Captions must be saved as UTF-8 text.") from None
    text = data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not SIGNATURE.match(lines[0]):
        raise CaptionsError('Captions must start with the line "WEBVTT" (this is not a WebVTT file).')

    # Blocks are runs of non-blank lines; remember where each starts for messages.
    blocks, current, start_line = [], [], 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start_line = number
            current.append(line)
        elif current:
            blocks.append((start_line, current))
            current = []
    if current:
        blocks.append((start_line, current))

    if any("-->" in line for line in blocks[0][1]):
        raise CaptionsError('Leave a blank line after "WEBVTT" before the first caption.')

    cues = []
    for first_line, block in blocks[1:]:  # the first block is the header
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        # An optional cue identifier comes before the timing line.
        timing_index = 0 if "-->" in block[0] else 1
        if timing_index >= len(block) or "-->" not in block[timing_index]:
            raise CaptionsError(
                f"Line {first_line}: a caption is missing its timing line (00:00.000 --> 00:02.000)."
            )
        line_number = first_line + timing_index
        timing = block[timing_index].strip()
        match = TIMING.match(timing)
        if not match:
            raise CaptionsError(
                f'Line {line_number}: "{timing[:60]}" is not a valid cue timing; '
                "write it as 00:01.000 --> 00:04.500 (minutes:seconds.milliseconds)."
            )
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= start:
            raise CaptionsError(f"Line {line_number}: the caption ends before it starts.")
        if cues and start < cues[-1].start:
            raise CaptionsError(f"Line {line_number}: captions must be in order of their start time.")
        for offset, extra in enumerate(block[timing_index + 1 :], start=1):
            if "-->" in extra:
                raise CaptionsError(
                    f"Line {line_number + offset}: leave a blank line between one caption and the next."
                )
        cues.append(Cue(start, end, "\n".join(block[timing_index + 1 :])))
    if not cues:
        raise CaptionsError("The captions file has no captions in it.")
    return cues
