package com.vlaapi.gateway.apidocs;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A file of the jar, read once at start and answered from memory as it is, byte for byte. Clients
 * may keep it for {@link #KEEP_FOR} and then ask again with its ETag (a 304 while it is unchanged).
 */
record ServedFile(byte[] bytes, MediaType type, String etag) {

    static final Duration KEEP_FOR = Duration.ofMinutes(5);

    /** The classpath resource at {@code path}; a jar without it does not start. */
    static ServedFile of(String path, MediaType type) {
        try {
            byte[] bytes = new ClassPathResource(path).getContentAsByteArray();
            return new ServedFile(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
        }
    }

    /** Answers a GET with the file (or a 304 for an If-None-Match that holds its ETag). */
    Mono<ServerResponse> serve(ServerRequest request) {
        return ServerResponse.ok()
                .header(ServiceHeaders.REQUEST_ID, RequestIdFilter.of(request.exchange()).toString())
                .contentType(type)
                .eTag(etag)
                .cacheControl(CacheControl.maxAge(KEEP_FOR).cachePublic())
                .bodyValue(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
