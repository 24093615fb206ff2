package com.vlaapi.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One JSON POST from a benchmark's Java client; the answer's body is discarded, its status returned. */
final class JsonPost {

    private JsonPost() {
    }

    static int status(HttpClient http, URI url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * As {@link #status}, sent once more when java.net.http closed the connection under the request
     * itself. On a connection just taken from its pool, an answer that comes back within
     * microseconds can reach the pool's idle-connection watcher, which takes it for data sent while
     * idle and closes the connection ("connection closed locally"; JDK-8338569 and JDK-8357639, still
     * in 25.0.3), whatever the server: {@code bin/vla bench client-race} measures how often (its rate
     * in docs/benchmarks.md). {@code resent} counts them.
     */
    static int statusResendingAfterClientRace(HttpClient http, URI url, byte[] body, Map<String, String> headers,
                                              LongAdder resent) throws Exception {
        try {
            return status(http, url, body, headers);
        } catch (IOException e) {
            if (!closedByTheClient(e)) {
                throw e;
            }
            resent.increment();
            return status(http, url, body, headers);
        }
    }

    static boolean closedByTheClient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if ("connection closed locally".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
