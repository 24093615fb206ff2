package com.vlaapi.inference.safety;

import com.vlaapi.inference.robotprofile.RobotProfile;
import com.vlaapi.modelrunner.Prediction;
import org.springframework.stereotype.Component;

/** The safety review of each prediction: its robot profile's limits, its score and its flags. */
@Component
public class ActionSafety {

    private final SafetyScores scores;

    ActionSafety(SafetyScores scores) {
        this.scores = scores;
    }

    /**
     * @param profile  the request's robot profile, or null
     * @param position the end effector's position the request gave, or null
     */
    public SafetyReview review(Prediction prediction, RobotProfile profile, double[] position) {
        ActionLimits.LimitedAction limited = ActionLimits.apply(prediction.action(), prediction.actionNames(), profile, position);
        Double score = scores.score(prediction.model(), prediction.unnormKey(), prediction.action());
        return new SafetyReview(limited.values(), limited.raw(), score, limited.flags(),
                profile == null ? null : profile.name());
    }
}
