package com.vlaapi.bench;

import com.vlaapi.referencepolicy.eval.EvalSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API benchmarks' request: held-out tabletop-v1 scenes (256x256 PNG) as the JSON body of
 * {@code POST /v1/inference}, {@code {"image": base64, "instruction": ...}}, as a robot sends it.
 */
final class InferenceBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Enough distinct images that no cache along the path answers from a single one. */
    private static final int SCENES = 64;

    private InferenceBodies() {
    }

    /** The first {@value #SCENES} scenes of the held-out evaluation set, from the repository at {@code root}. */
    static List<EvalSet.Scene> heldOutScenes(Path root) {
        return EvalSet.read(root.resolve("reference-policy/evalsets/tabletop-v1")).scenes().subList(0, SCENES);
    }

    static List<byte[]> of(List<EvalSet.Scene> scenes) {
        return of(scenes, Map.of());
    }

    /** The same bodies asking for the whole action chunk, as a session's observations do. */
    static List<byte[]> chunksOf(List<EvalSet.Scene> scenes) {
        return of(scenes, Map.of("return", "chunk"));
    }

    private static List<byte[]> of(List<EvalSet.Scene> scenes, Map<String, Object> options) {
        List<byte[]> bodies = new ArrayList<>();
        for (EvalSet.Scene s : scenes) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("image", Base64.getEncoder().encodeToString(s.imageBytes()));
            body.put("instruction", s.instruction());
            body.putAll(options);
            bodies.add(JSON.writeValueAsBytes(body));
        }
        return bodies;
    }
}
