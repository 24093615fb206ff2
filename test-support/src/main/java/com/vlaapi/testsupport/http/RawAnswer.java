package com.vlaapi.testsupport.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 answer read off a socket, for what HttpClient cannot send or would hide: malformed
 * requests, pipelined ones, upgrades, what a connection does after an answer.
 */
public record RawAnswer(int status, HttpHeaders headers, String body) {

    /** The answer of a server that closes the connection after it. */
    public static RawAnswer read(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new IOException("not an HTTP/1.1 answer: '" + text + "'");
        }
        RawAnswer head = head(text.substring(0, headEnd));
        return new RawAnswer(head.status(), head.headers(), text.substring(headEnd + 4));
    }

    /**
     * One answer on a connection that may stay open (kept alive, or upgraded after a 101): the
     * head, then the body its {@code Content-Length} or chunks say, none for a 101.
     */
    public static RawAnswer readOne(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(data.readByte());
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 answer: '" + text + "'");
        }
        RawAnswer answer = head(text.substring(0, text.length() - 4));
        HttpHeaders headers = answer.headers();
        byte[] body;
        if (answer.status() == 101) {
            body = new byte[0];
        } else if (headers.firstValue("Transfer-Encoding").filter("chunked"::equalsIgnoreCase).isPresent()) {
            body = chunks(data);
        } else {
            body = new byte[(int) headers.firstValueAsLong("Content-Length").orElse(0)];
            data.readFully(body);
        }
        return new RawAnswer(answer.status(), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunks(DataInputStream data) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(data).split(";")[0].trim(), 16);
            byte[] chunk = new byte[size];
            data.readFully(chunk);
            line(data);
            if (size == 0) {
                return body.toByteArray();
            }
            body.writeBytes(chunk);
        }
    }

    private static String line(DataInputStream data) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = data.readByte(); b != '\n'; b = data.readByte()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static RawAnswer head(String head) {
        String[] lines = head.split("\r\n");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new RawAnswer(Integer.parseInt(lines[0].substring(9, 12)), HttpHeaders.of(headers, (name, value) -> true), "");
    }
}
