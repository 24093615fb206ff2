package com.vlaapi.gateway.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The gateway's Lua scripts, read from the classpath once. */
public final class LuaScripts {

    private LuaScripts() {
    }

    /**
     * A script built from a Resource re-checks the resource's modification time on every call,
     * which inside a jar means opening the jar entry for every request; a script built from its
     * text does not.
     */
    public static <T> RedisScript<T> load(String path, Class<T> resultType) {
        try {
            return RedisScript.of(new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8), resultType);
        } catch (IOException e) {
            throw new UncheckedIOException("Lua script " + path + " is missing from the jar", e);
        }
    }
}
