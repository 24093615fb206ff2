package com.vlaapi.referencepolicy.eval;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code bin/vla eval}: runs a model through the Java runner on a held-out set and prints the
 * success rate. Up to {@link #IN_FLIGHT} scenes are in flight at once: enough for full batches, so
 * this also exercises the batcher, and well below the runner's queue capacity, which a slow
 * machine would otherwise overflow (the runner refuses work beyond it).
 */
public final class HeldOutEvaluation {

    /** Outcome of one run. */
    public record Result(int scenes, int successes) {
        public double successRate() {
            return (double) successes / scenes;
        }
    }

    static final int IN_FLIGHT = 64;

    private HeldOutEvaluation() {
    }

    public static Result run(ModelRunner runner, String model, EvalSet set) {
        List<CompletableFuture<Prediction>> pending = new ArrayList<>();
        for (EvalSet.Scene scene : set.scenes()) {
            if (pending.size() >= IN_FLIGHT) {
                pending.get(pending.size() - IN_FLIGHT).join();
            }
            pending.add(runner.submit(new InferenceRequest(model, scene.imageBytes(), scene.instruction(), set.unnormKey())));
        }
        int successes = 0;
        for (int i = 0; i < pending.size(); i++) {
            double[] action = pending.get(i).join().action();
            if (set.criterion().isSuccess(action, set.scenes().get(i).expertAction())) {
                successes++;
            }
            if ((i + 1) % 100 == 0 || i + 1 == pending.size()) {
                System.err.printf("  evaluated %d/%d scenes%n", i + 1, pending.size());
            }
        }
        return new Result(set.scenes().size(), successes);
    }

    /** Arguments: [models dir] [eval set dir] [model name]. */
    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "reference-policy/bundles");
        Path evalSet = Path.of(args.length > 1 ? args[1] : "reference-policy/evalsets/tabletop-v1");
        String model = args.length > 2 ? args[2] : null;
        EvalSet set = EvalSet.read(evalSet);
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.fromEnvironment(models))) {
            String name = model != null ? model : runner.defaultModel();
            Result result = run(runner, name, set);
            System.out.printf("model %s on %s: success rate %.4f (%d/%d)%n", name, evalSet,
                    result.successRate(), result.successes(), result.scenes());
        }
    }
}
