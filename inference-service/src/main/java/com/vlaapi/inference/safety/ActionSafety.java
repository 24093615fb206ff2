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
        return withScore(prediction, limited, EnumSet.noneOf(SafetyFlag.class), null, profile);
    }

    /**
     * Holds every step of a chunk to the profile. With a position, each step starts where the steps
     * before it, as sent, leave the end effector. The flags are those of any step; the score is the
     * first action's, the one the robot runs next.
     *
     * @param steps the chunk to send, in the model's convention
     */
    public SafetyReview reviewChunk(Prediction prediction, double[][] steps, RobotProfile profile, double[] position) {
        double[][] sent = new double[steps.length][];
        Set<SafetyFlag> flags = EnumSet.noneOf(SafetyFlag.class);
        double[] at = position == null ? null : position.clone();
        ActionLimits.LimitedAction first = null;
        for (int k = 0; k < steps.length; k++) {
            ActionLimits.LimitedAction limited = ActionLimits.apply(steps[k], prediction.actionNames(), profile, at);
            sent[k] = limited.values();
            flags.addAll(limited.flags());
            if (k == 0) {
                first = limited;
            }
            if (at != null) {
                ActionLimits.advance(at, limited.values(), prediction.actionNames());
            }
        }
        return withScore(prediction, first, flags, sent, profile);
    }

    private SafetyReview withScore(Prediction prediction, ActionLimits.LimitedAction first, Set<SafetyFlag> stepFlags,
                                   double[][] chunk, RobotProfile profile) {
        Set<SafetyFlag> flags = EnumSet.noneOf(SafetyFlag.class);
        flags.addAll(first.flags());
        flags.addAll(stepFlags);
        Double score = scores.score(prediction.model(), prediction.unnormKey(), prediction.action());
        NoveltyAssessment scene = novelty.assess(prediction.model(), prediction.modelVersion(), prediction.embedding());
        if (scene != null) {
            if (scene.outOfDistribution()) {
                flags.add(SafetyFlag.OUT_OF_DISTRIBUTION);
            }
            score = score == null ? null : score * scene.factor();
        }
        return new SafetyReview(first.values(), first.raw(), score, flags, profile == null ? null : profile.name(), chunk);
    }
}
