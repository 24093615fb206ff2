package com.vlaapi.referencepolicy.eval;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code bin/vla eval}: runs a model through the Java runner on a held-out set and prints the
 * success rate of the first action and of every chunk step k (scored against the expert rolled
 * forward k steps), without the gripper state and with it. Up to {@link #IN_FLIGHT} scenes are in
 * flight at once: enough for full batches, so this also exercises the batcher, and well below the
 * runner's queue capacity, which a slow machine would otherwise overflow (the runner refuses work
 * beyond it).
 */
public final class HeldOutEvaluation {

    /** Outcome of one run: {@code successesPerStep[0]} is {@code successes}, the first action's. */
    public record Result(int scenes, int successes, int[] successesPerStep) {
        public double successRate() {
            return (double) successes / scenes;
        }

        public double successRate(int step) {
            return (double) successesPerStep[step] / scenes;
        }

        String perStep() {
            return Arrays.stream(successesPerStep).mapToObj(s -> String.format(Locale.ROOT, "%.4f", (double) s / scenes))
                    .collect(Collectors.joining(" "));
        }
    }

    static final int IN_FLIGHT = 64;

    private HeldOutEvaluation() {
    }

    /** Without the state: the image and the instruction alone, as the single-action API has always been called. */
    public static Result run(ModelRunner runner, String model, EvalSet set) {
        return run(runner, model, set, false);
    }

    /** {@code withState}: each scene's gripper position goes with the request (the set must record it). */
    public static Result run(ModelRunner runner, String model, EvalSet set, boolean withState) {
        List<CompletableFuture<Prediction>> pending = new ArrayList<>();
        for (EvalSet.Scene scene : set.scenes()) {
            if (pending.size() >= IN_FLIGHT) {
                pending.get(pending.size() - IN_FLIGHT).join();
            }
            if (withState && scene.state() == null) {
                throw new IllegalArgumentException("the evaluation set records no state for scene " + scene.id());
            }
            pending.add(runner.submit(new InferenceRequest(model, scene.imageBytes(), scene.instruction(), set.unnormKey(),
                    withState ? scene.state() : null)));
        }
        int[] perStep = null;
        for (int i = 0; i < pending.size(); i++) {
            double[][] chunk = pending.get(i).join().chunk();
            double[][] expert = set.scenes().get(i).expertChunk();
            if (perStep == null) {
                perStep = new int[Math.min(chunk.length, expert.length)];
            }
            for (int k = 0; k < perStep.length; k++) {
                if (set.criterion().isSuccess(chunk[k], expert[k])) {
                    perStep[k]++;
                }
            }
            if ((i + 1) % 100 == 0 || i + 1 == pending.size()) {
                System.err.printf("  evaluated %d/%d scenes%n", i + 1, pending.size());
            }
        }
        return new Result(set.scenes().size(), perStep[0], perStep);
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
            System.out.printf("  per chunk step k=0..%d: %s%n", result.successesPerStep().length - 1, result.perStep());
            boolean hasState = set.scenes().stream().allMatch(s -> s.state() != null);
            if (hasState && runner.manifests().get(name).takesState()) {
                Result withState = run(runner, name, set, true);
                System.out.printf("  with the gripper state: success rate %.4f (%d/%d); per chunk step: %s%n",
                        withState.successRate(), withState.successes(), withState.scenes(), withState.perStep());
            }
        }
    }
}
