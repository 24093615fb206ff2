package com.vlaapi.inference.safety;

import com.vlaapi.servicecontract.LowerCaseId;

/** What the safety review noticed about one action; answered and logged by {@link #id()}. */
public enum SafetyFlag implements LowerCaseId {
    /** The action sent differs from the model's: held to the robot profile's limits. */
    CLIPPED,
    /** The model's step would have left the profile's workspace (or the robot is outside it already). */
    OUT_OF_WORKSPACE,
    /** The scene is unlike anything the model saw in training. */
    OUT_OF_DISTRIBUTION,
    /** The model cannot tell whether to close the gripper. */
    LOW_GRIPPER_CONFIDENCE;

    /** Flags that make an action unsafe to send: a request with on_unsafe = reject gets a 422 instead. */
    public boolean unsafe() {
        return this != LOW_GRIPPER_CONFIDENCE;
    }
}
