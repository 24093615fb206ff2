package com.vlaapi.referencepolicy.cli;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code bin/vla predict IMAGE "INSTRUCTION" [UNNORM_KEY]}: one action, printed with its names. */
public final class PredictCommand {

    private PredictCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: PredictCommand MODELS_DIR IMAGE INSTRUCTION [UNNORM_KEY]");
            System.exit(2);
        }
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.fromEnvironment(Path.of(args[0])))) {
            Prediction p = runner.predict(new InferenceRequest(null, image, args[2], args.length > 3 ? args[3] : null));
            System.out.printf("model %s %s, unnorm_key %s, image %dx%d, \"%s\"%n", p.model(), p.modelVersion(),
                    p.unnormKey(), p.imageWidth(), p.imageHeight(), args[2]);
            for (int i = 0; i < p.action().length; i++) {
                System.out.printf("  %-8s % .5f%n", p.actionNames().get(i), p.action()[i]);
            }
            System.out.printf("preprocess %.2f ms, queue %.2f ms, forward %.2f ms%n", p.timings().preprocessMs(),
                    p.timings().queueWaitMs(), p.timings().forwardMs());
        } catch (ModelRunnerException e) {
            System.err.println("error (" + e.code() + "): " + e.getMessage());
            System.exit(1);
        }
    }
}
