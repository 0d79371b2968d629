"""A stick figure for the demo stretch videos: key poses, the movement between them, and drawing.

A pose places each joint of a figure seen from its right side, facing right, in
the 640x360 frame's units (the floor at y = FLOOR). Legs and arms are named by
the figure's own side, so "switch sides" shows as the two legs trading places:
the right leg and arm are drawn in the stronger colour, nearer the viewer.

``MOVES`` gives each demo stretch its poses: one for the intro and one per step.
A step moves from the pose before to its own over ``MOVE_SECONDS`` (eased),
then holds it, breathing slowly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FLOOR = 300

JOINTS = (
    "head",
    "neck",
    "mid",  # the lower back, so a pelvic tilt can flatten it
    "hip",
    "r_knee",
    "r_ankle",
    "r_toe",
    "l_knee",
    "l_ankle",
    "l_toe",
    "r_elbow",
    "r_hand",
    "l_elbow",
    "l_hand",
)


def pose(**points):
    missing = set(JOINTS) - set(points)
    assert not missing, f"pose is missing {sorted(missing)}"
    return {name: tuple(map(float, points[name])) for name in JOINTS}


def swapped(base):
    """The same pose with the right and left limbs trading places (the other side)."""
    return {
        name: base[name.replace("r_", "x_").replace("l_", "r_").replace("x_", "l_")]
        if name[:2] in ("r_", "l_")
        else base[name]
        for name in JOINTS
    }


# Standing tall, arms by the sides.
STANDING = pose(
    head=(160, 96), neck=(160, 118), mid=(158, 155), hip=(160, 190),
    r_knee=(163, 245), r_ankle=(161, 298), r_toe=(179, 300),
    l_knee=(158, 245), l_ankle=(156, 298), l_toe=(174, 300),
    r_elbow=(164, 155), r_hand=(166, 190), l_elbow=(156, 155), l_hand=(154, 190),
)  # fmt: skip

# Right knee down on a cushion, left foot flat in front, body upright.
HALF_KNEEL = pose(
    head=(142, 140), neck=(142, 162), mid=(141, 200), hip=(140, 236),
    r_knee=(136, 294), r_ankle=(86, 296), r_toe=(74, 300),
    l_knee=(194, 240), l_ankle=(196, 298), l_toe=(214, 300),
    r_elbow=(147, 199), r_hand=(170, 226), l_elbow=(139, 199), l_hand=(186, 236),
)  # fmt: skip

# The same, tailbone tucked and hips shifted forward: the stretch at the front of the right hip.
HALF_KNEEL_FORWARD = pose(
    head=(165, 145), neck=(164, 167), mid=(162, 205), hip=(161, 242),
    r_knee=(136, 294), r_ankle=(86, 296), r_toe=(74, 300),
    l_knee=(213, 250), l_ankle=(203, 298), l_toe=(221, 300),
    r_elbow=(150, 203), r_hand=(158, 232), l_elbow=(170, 203), l_hand=(196, 240),
)  # fmt: skip

# Forward, with the right arm reaching overhead and a small lean away.
HALF_KNEEL_REACH = {
    **HALF_KNEEL_FORWARD,
    "head": (158, 146),
    "neck": (159, 168),
    "r_elbow": (143, 128),
    "r_hand": (139, 90),
}

# Upright kneeling, knees apart, sitting tall before child's pose.
TALL_KNEEL = pose(
    head=(165, 141), neck=(165, 163), mid=(165, 200), hip=(165, 238),
    r_knee=(167, 294), r_ankle=(117, 297), r_toe=(106, 300),
    l_knee=(163, 294), l_ankle=(113, 297), l_toe=(102, 300),
    r_elbow=(168, 199), r_hand=(170, 233), l_elbow=(162, 199), l_hand=(160, 233),
)  # fmt: skip

# Hips back to the heels, arms long in front, forehead down.
CHILDS_POSE = pose(
    head=(262, 286), neck=(246, 276), mid=(205, 262), hip=(160, 268),
    r_knee=(207, 295), r_ankle=(140, 297), r_toe=(128, 300),
    l_knee=(205, 296), l_ankle=(138, 298), l_toe=(126, 300),
    r_elbow=(286, 288), r_hand=(322, 296), l_elbow=(282, 289), l_hand=(316, 297),
)  # fmt: skip

# Child's pose with the hands walked to one side: the arms reach further, the head turns with them.
CHILDS_POSE_REACH = {
    **CHILDS_POSE,
    "head": (266, 285),
    "r_elbow": (296, 287),
    "r_hand": (336, 295),
    "l_elbow": (290, 288),
    "l_hand": (328, 296),
}

# Standing in a short stride, left foot back, a hand on a wall or chair in front.
STRIDE = pose(
    head=(166, 97), neck=(166, 119), mid=(165, 156), hip=(165, 192),
    r_knee=(184, 246), r_ankle=(190, 298), r_toe=(208, 300),
    l_knee=(150, 246), l_ankle=(128, 292), l_toe=(143, 300),
    r_elbow=(186, 148), r_hand=(210, 156), l_elbow=(160, 156), l_hand=(158, 190),
)  # fmt: skip

# The stride with both knees bent a little and the tailbone tucked under.
STRIDE_TUCK = {
    **STRIDE,
    "head": (170, 106),
    "neck": (170, 128),
    "mid": (170, 165),
    "hip": (171, 202),
    "r_knee": (197, 250),
    "l_knee": (153, 254),
    "r_elbow": (190, 156),
    "r_hand": (212, 163),
    "l_elbow": (165, 165),
    "l_hand": (164, 198),
}

# On the back, knees bent, feet flat, arms by the sides.
HOOK_LYING = pose(
    head=(66, 284), neck=(90, 290), mid=(128, 291), hip=(166, 290),
    r_knee=(206, 246), r_ankle=(229, 296), r_toe=(247, 300),
    l_knee=(203, 248), l_ankle=(225, 297), l_toe=(243, 300),
    r_elbow=(118, 296), r_hand=(148, 297), l_elbow=(116, 297), l_hand=(146, 298),
)  # fmt: skip

# Pelvis tilted: the lower back pressed to the floor, the knees rock a little towards the head.
PELVIC_TILT = {**HOOK_LYING, "mid": (128, 297), "hip": (166, 293), "r_knee": (202, 246), "l_knee": (199, 248)}

# The right knee hugged towards the chest, hands behind the thigh.
KNEE_TO_CHEST = {
    **HOOK_LYING,
    "r_knee": (146, 238),
    "r_ankle": (182, 248),
    "r_toe": (196, 258),
    "r_elbow": (118, 262),
    "r_hand": (150, 252),
    "l_elbow": (116, 264),
    "l_hand": (146, 254),
}

# Both knees hugged in.
BOTH_KNEES = {
    **KNEE_TO_CHEST,
    "l_knee": (143, 241),
    "l_ankle": (178, 251),
    "l_toe": (192, 261),
}

LEFT = "left"  # the step works the figure's left side: draw the pose with the sides swapped

# The intro pose, then one pose per step, in catalog order. A name paired with
# LEFT is the same movement on the other side.
MOVES: dict[str, tuple] = {
    "kneeling-hip-flexor-stretch": (
        STANDING,
        [HALF_KNEEL, HALF_KNEEL_FORWARD, (HALF_KNEEL, LEFT), (HALF_KNEEL_FORWARD, LEFT), STANDING],
    ),
    "standing-hip-flexor-stretch": (
        STANDING,
        [STANDING, STRIDE, STRIDE_TUCK, (STRIDE, LEFT), (STRIDE_TUCK, LEFT), STANDING],
    ),
    "half-kneeling-hip-flexor-reach": (
        STANDING,
        [
            HALF_KNEEL,
            HALF_KNEEL_FORWARD,
            HALF_KNEEL_REACH,
            (HALF_KNEEL, LEFT),
            (HALF_KNEEL_REACH, LEFT),
            STANDING,
        ],
    ),
    "pelvic-tilts": (
        HOOK_LYING,
        [HOOK_LYING, PELVIC_TILT, HOOK_LYING, PELVIC_TILT, HOOK_LYING, PELVIC_TILT, HOOK_LYING],
    ),
    "childs-pose": (
        TALL_KNEEL,
        [TALL_KNEEL, CHILDS_POSE, CHILDS_POSE_REACH, (CHILDS_POSE_REACH, LEFT), TALL_KNEEL],
    ),
    "knee-to-chest": (
        HOOK_LYING,
        [HOOK_LYING, KNEE_TO_CHEST, HOOK_LYING, (KNEE_TO_CHEST, LEFT), HOOK_LYING, BOTH_KNEES, HOOK_LYING],
    ),
}

# A neutral figure for a stretch with no moves of its own (a new catalog entry, a test).
DEFAULT_MOVES = (STANDING, None)

MOVE_SECONDS = 2.5
BREATH_SECONDS = 5.0
BREATH_PIXELS = 1.6


def resolve(step_pose):
    """A pose from a MOVES entry: a pose, or (pose, LEFT) for the other side."""
    if isinstance(step_pose, tuple):
        base, side = step_pose
        return swapped(base) if side == LEFT else base
    return step_pose


def poses_for(slug, step_count):
    """(intro pose, [pose per step]) for a stretch; unknown stretches stand still."""
    intro, steps = MOVES.get(slug, DEFAULT_MOVES)
    if steps is None:
        steps = [intro] * step_count
    if len(steps) != step_count:
        raise ValueError(f"{slug}: {len(steps)} poses for {step_count} steps in demo.figure.MOVES")
    return intro, [resolve(step) for step in steps]


def ease(t):
    """Slow in, slow out, for 0 <= t <= 1."""
    return 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, t)))


def blend(a, b, t):
    k = ease(t)
    return {
        name: (a[name][0] + (b[name][0] - a[name][0]) * k, a[name][1] + (b[name][1] - a[name][1]) * k)
        for name in JOINTS
    }


def breathing(base, seconds):
    """The pose with the chest rising and falling a little."""
    lift = BREATH_PIXELS * math.sin(2 * math.pi * seconds / BREATH_SECONDS)
    moved = dict(base)
    for name in ("head", "neck"):
        x, y = base[name]
        moved[name] = (x, y - lift)
    return moved


@dataclass(frozen=True)
class Colours:
    near: tuple  # right limbs and the body
    far: tuple  # left limbs, behind
    floor: tuple


def draw(drawing, joints, colours, scale, offset=(0, 0)):
    """Draw the figure on a Pillow ImageDraw; ``scale`` maps frame units to pixels."""
    ox, oy = offset

    def at(name):
        x, y = joints[name]
        return (ox + x * scale, oy + y * scale)

    limb = max(2, round(7 * scale))
    body = max(3, round(9 * scale))

    def chain(names, colour, width):
        points = [at(name) for name in names]
        drawing.line(points, fill=colour, width=width, joint="curve")
        for x, y in points:  # round the ends and the joints
            r = width / 2
            drawing.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    drawing.line(
        (ox + 20 * scale, oy + (FLOOR + 4) * scale, ox + 340 * scale, oy + (FLOOR + 4) * scale),
        fill=colours.floor,
        width=max(1, round(3 * scale)),
    )
    chain(("neck", "l_elbow", "l_hand"), colours.far, limb)
    chain(("hip", "l_knee", "l_ankle", "l_toe"), colours.far, limb)
    chain(("head", "neck", "mid", "hip"), colours.near, body)
    chain(("hip", "r_knee", "r_ankle", "r_toe"), colours.near, limb)
    chain(("neck", "r_elbow", "r_hand"), colours.near, limb)
    hx, hy = at("head")
    r = 15 * scale
    drawing.ellipse((hx - r, hy - r, hx + r, hy + r), fill=colours.near)
