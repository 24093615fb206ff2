package com.vlaapi.inference.safety;

import com.vlaapi.inference.robotprofile.RobotProfile;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Holds one action to a robot profile: the step is first kept inside the workspace (when the
 * request says where the end effector is), then shortened, direction kept, to the profile's longest
 * translation and rotation. Shortening a step that ends inside the (convex) workspace keeps it
 * inside, so the order never undoes the first limit. The gripper value is turned into the robot's
 * convention, in the raw action too, so raw and sent values compare like for like.
 */
public final class ActionLimits {

    /** The model's gripper output is a probability of "close" in [0, 1]. */
    static final double DEFAULT_MIN_GRIPPER_CONFIDENCE = 0.2;
    private static final List<String> TRANSLATION = List.of("dx", "dy", "dz");
    private static final List<String> ROTATION = List.of("droll", "dpitch", "dyaw");
    private static final String GRIPPER = "gripper";

    /**
     * @param values what to send the robot
     * @param raw    the model's action in the robot's convention, only when {@code values} differ from it
     */
    public record LimitedAction(double[] values, double[] raw, Set<SafetyFlag> flags) {
    }

    private ActionLimits() {
    }

    /**
     * @param profile  the robot's profile, or null for none: then only the gripper is looked at
     * @param position where the end effector is now, [x, y, z] in the workspace's frame; null if unknown
     */
    public static LimitedAction apply(double[] action, List<String> names, RobotProfile profile, double[] position) {
        double[] raw = action.clone();
        Set<SafetyFlag> flags = EnumSet.noneOf(SafetyFlag.class);
        int gripper = names.indexOf(GRIPPER);
        double minConfidence = profile == null ? DEFAULT_MIN_GRIPPER_CONFIDENCE : profile.minGripperConfidence();
        if (gripper >= 0 && gripperConfidence(raw[gripper]) < minConfidence) {
            flags.add(SafetyFlag.LOW_GRIPPER_CONFIDENCE);
        }
        if (gripper >= 0 && profile != null && profile.openIsOne()) {
            raw[gripper] = 1.0 - raw[gripper];
        }
        double[] values = raw.clone();
        int[] translation = indices(names, TRANSLATION);
        if (profile != null && translation != null) {
            if (profile.hasWorkspace() && position != null && keepInside(values, translation, profile, position)) {
                flags.add(SafetyFlag.OUT_OF_WORKSPACE);
            }
            shorten(values, translation, profile.maxTranslationM());
        }
        int[] rotation = indices(names, ROTATION);
        if (profile != null && rotation != null) {
            shorten(values, rotation, profile.maxRotationRad());
        }
        boolean clipped = !Arrays.equals(values, raw);
        if (clipped) {
            flags.add(SafetyFlag.CLIPPED);
        }
        return new LimitedAction(values, clipped ? raw : null, flags);
    }

    /** Where the gripper sits in an action with these names; -1 for none. */
    public static int gripperIndex(List<String> names) {
        return names.indexOf(GRIPPER);
    }

    /** Moves {@code position} by the action's translation, where the action has one. */
    static void advance(double[] position, double[] action, List<String> names) {
        int[] translation = indices(names, TRANSLATION);
        if (translation != null) {
            for (int axis = 0; axis < 3; axis++) {
                position[axis] += action[translation[axis]];
            }
        }
    }

    /**
     * An action as sent to the robot, back in the model's convention: the gripper flipped back for a
     * robot whose open is 1. Only the convention is undone, not the limits.
     */
    public static double[] inModelConvention(double[] sent, List<String> names, RobotProfile profile) {
        double[] action = sent.clone();
        int gripper = names.indexOf(GRIPPER);
        if (gripper >= 0 && profile != null && profile.openIsOne()) {
            action[gripper] = 1.0 - action[gripper];
        }
        return action;
    }

    /** |2p - 1|: 1 for a clear open or close, 0 where the model cannot tell. */
    static double gripperConfidence(double closeProbability) {
        double p = Math.max(0.0, Math.min(1.0, closeProbability));
        return Math.abs(2.0 * p - 1.0);
    }

    /** Moves the step's end into the box; true when it (or the start) lay outside. */
    private static boolean keepInside(double[] values, int[] axes, RobotProfile profile, double[] position) {
        boolean outside = false;
        for (int axis = 0; axis < 3; axis++) {
            double low = profile.workspaceMin()[axis];
            double high = profile.workspaceMax()[axis];
            double start = position[axis];
            double end = start + values[axes[axis]];
            outside |= start < low || start > high || end < low || end > high;
            values[axes[axis]] = Math.max(low, Math.min(high, end)) - start;
        }
        return outside;
    }

    private static void shorten(double[] values, int[] axes, Double limit) {
        if (limit == null) {
            return;
        }
        double length = 0;
        for (int axis : axes) {
            length += values[axis] * values[axis];
        }
        length = Math.sqrt(length);
        if (length > limit) {
            double scale = limit / length;
            for (int axis : axes) {
                values[axis] *= scale;
            }
        }
    }

    /** Where the named dimensions sit in the action; null unless all of them are there. */
    private static int[] indices(List<String> names, List<String> wanted) {
        int[] found = new int[wanted.size()];
        for (int i = 0; i < found.length; i++) {
            found[i] = names.indexOf(wanted.get(i));
            if (found[i] < 0) {
                return null;
            }
        }
        return found;
    }
}
