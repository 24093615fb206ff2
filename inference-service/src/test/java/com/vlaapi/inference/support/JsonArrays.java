package com.vlaapi.inference.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A JSON array of an answer as Java values, for assertions. */
public final class JsonArrays {

    private JsonArrays() {
    }

    public static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
