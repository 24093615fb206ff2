package com.vlaapi.inference.safety;

import com.vlaapi.inference.ood.NoveltyAssessment;
import com.vlaapi.inference.ood.SceneNovelty;
import com.vlaapi.inference.robotprofile.RobotProfile;
import com.vlaapi.modelrunner.Prediction;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The safety review of each prediction: its robot profile's limits, its score and its flags. The
 * score is the action's ({@link SafetyScore}) times the scene's familiarity ({@link SceneNovelty}):
 * a confident action on a scene the model never saw is not a safe one.
 */
@Component
public class ActionSafety {

    private final SafetyScores scores;
    private final SceneNovelty novelty;

    ActionSafety(SafetyScores scores, SceneNovelty novelty) {
        this.scores = scores;
        this.novelty = novelty;
    }

    /**
     * @param profile  the request's robot profile, or null
     * @param position the end effector's position the request gave, or null
     */
    public SafetyReview review(Prediction prediction, RobotProfile profile, double[] position) {
        ActionLimits.LimitedAction limited = ActionLimits.apply(prediction.action(), prediction.actionNames(), profile, position);
        Set<SafetyFlag> flags = EnumSet.noneOf(SafetyFlag.class);
        flags.addAll(limited.flags());
        Double score = scores.score(prediction.model(), prediction.unnormKey(), prediction.action());
        NoveltyAssessment scene = novelty.assess(prediction.model(), prediction.modelVersion(), prediction.embedding());
        if (scene != null) {
            if (scene.outOfDistribution()) {
                flags.add(SafetyFlag.OUT_OF_DISTRIBUTION);
            }
            score = score == null ? null : score * scene.factor();
        }
        return new SafetyReview(limited.values(), limited.raw(), score, flags, profile == null ? null : profile.name());
    }
}
