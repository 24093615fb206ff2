package com.vlaapi.inference.contract;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import java.util.List;

/**
 * The one place the contract reads chunks, state and units through model-runner. The bundles it
 * serves (manifest format 1) predict one action per observation, take no state and do not name
 * their units, so that is what these say.
 */
final class RunnerFields {

    private RunnerFields() {
    }

    static int chunkLength(ModelManifest manifest) {
        return 1;
    }

    static ModelContract.State state(ModelManifest manifest) {
        return null;
    }

    static List<String> units(ModelManifest.UnnormStats stats) {
        return null;
    }

    /** The actions the model predicted, step by step: {@link #chunkLength} of them. */
    static double[][] chunk(Prediction prediction) {
        return new double[][] {prediction.action()};
    }

    /** {@code state} is null unless the model's contract has a state (ParityCheck checks it against it). */
    static InferenceRequest request(String model, byte[] image, String instruction, String unnormKey, double[] state) {
        return new InferenceRequest(model, image, instruction, unnormKey);
    }
}
