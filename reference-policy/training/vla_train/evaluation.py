"""Success criterion of the tabletop task (mirrored by the Java evaluator; see MODEL_CARD.md)."""
import math

ANGLE_TOLERANCE_DEG = 25.0


def success(predicted, expert, max_step_m: float) -> bool:
    """xy: within 25 degrees of the expert's step when it moves (>= half a step), else under half
    a step; z: descends exactly when the expert descends (below -1/4 step); gripper: same side of 0.5."""
    half = 0.5 * max_step_m
    e_xy = math.hypot(expert[0], expert[1])
    p_xy = math.hypot(predicted[0], predicted[1])
    if e_xy >= half:
        if p_xy == 0.0:
            return False
        cos = (predicted[0] * expert[0] + predicted[1] * expert[1]) / (p_xy * e_xy)
        if math.degrees(math.acos(max(-1.0, min(1.0, cos)))) > ANGLE_TOLERANCE_DEG:
            return False
    elif p_xy >= half:
        return False
    descend = -0.25 * max_step_m
    if (expert[2] < descend) != (predicted[2] < descend):
        return False
    return (expert[6] >= 0.5) == (predicted[6] >= 0.5)
