package com.vlaapi.referencepolicy.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A held-out set written by {@code vla_train.heldout}: task.json, scenes.jsonl and images/. */
public record EvalSet(Path dir, String unnormKey, SuccessCriterion criterion, List<Scene> scenes) {

    /**
     * One labelled observation: {@code expertChunk} is the expert rolled forward from the scene
     * (its first row the expert's action; sets written before chunks hold that row alone), {@code state}
     * the gripper position [x, y, z] in metres, null in sets written before state.
     */
    public record Scene(int id, Path image, String instruction, double[][] expertChunk, double[] state) {

        public double[] expertAction() {
            return expertChunk[0];
        }

        public byte[] imageBytes() {
            try {
                return Files.readAllBytes(image);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static EvalSet read(Path dir) {
        try {
            JsonNode task = JSON.readTree(dir.resolve("task.json").toFile());
            SuccessCriterion criterion = new SuccessCriterion(
                    task.get("max_step_m").asDouble(), task.get("angle_tolerance_deg").asDouble());
            List<Scene> scenes = Files.readAllLines(dir.resolve("scenes.jsonl")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> {
                        JsonNode row = JSON.readTree(line);
                        double[][] chunk;
                        if (row.has("expert_chunk")) {
                            chunk = new double[row.get("expert_chunk").size()][];
                            for (int k = 0; k < chunk.length; k++) {
                                chunk[k] = doubles(row.get("expert_chunk").get(k));
                            }
                        } else {
                            chunk = new double[][] {doubles(row.get("expert_action"))};
                        }
                        return new Scene(row.get("id").asInt(), dir.resolve(row.get("image").asString()),
                                row.get("instruction").asString(), chunk,
                                row.has("state") ? doubles(row.get("state")) : null);
                    })
                    .toList();
            return new EvalSet(dir, task.get("unnorm_key").asString(), criterion, scenes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the evaluation set in " + dir, e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
