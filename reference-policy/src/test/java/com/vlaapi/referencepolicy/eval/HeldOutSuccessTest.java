package com.vlaapi.referencepolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.referencepolicy.ReferencePolicyFiles;
import org.junit.jupiter.api.Test;

class HeldOutSuccessTest {

    @Test
    void referencePolicySucceedsOnAtLeast95PercentOfHeldOutScenesThroughTheJavaRunner() {
        EvalSet set = EvalSet.read(ReferencePolicyFiles.EVAL_SET);
        assertTrue(set.scenes().size() >= 300, "held-out set must have at least 300 scenes");
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(ReferencePolicyFiles.BUNDLES))) {
            HeldOutEvaluation.Result result = HeldOutEvaluation.run(runner, "tabletop-v1", set);
            System.out.printf("Java held-out success rate: %.4f (%d/%d); per chunk step: %s%n",
                    result.successRate(), result.successes(), result.scenes(), result.perStep());
            assertEquals(set.scenes().size(), result.scenes());
            assertEquals(8, result.successesPerStep().length, "every step of the chunk is scored");
            assertTrue(result.successRate() >= 0.95, "success rate " + result.successRate() + " < 0.95");
        }
    }

    @Test
    void withTheGripperStateTheFirstActionIsAsGood() {
        EvalSet set = EvalSet.read(ReferencePolicyFiles.EVAL_SET);
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(ReferencePolicyFiles.BUNDLES))) {
            HeldOutEvaluation.Result result = HeldOutEvaluation.run(runner, "tabletop-v1", set, true);
            System.out.printf("Java held-out success rate with state: %.4f (%d/%d); per chunk step: %s%n",
                    result.successRate(), result.successes(), result.scenes(), result.perStep());
            assertTrue(result.successRate() >= 0.95, "success rate with state " + result.successRate() + " < 0.95");
        }
    }
}
