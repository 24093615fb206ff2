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
            System.out.printf("Java held-out success rate: %.4f (%d/%d)%n",
                    result.successRate(), result.successes(), result.scenes());
            assertEquals(set.scenes().size(), result.scenes());
            assertTrue(result.successRate() >= 0.95, "success rate " + result.successRate() + " < 0.95");
        }
    }
}
