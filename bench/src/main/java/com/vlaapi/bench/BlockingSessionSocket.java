package com.vlaapi.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code /v1/sessions} WebSocket spoken over a plain blocking socket by the thread that measures,
 * as a robot's control loop reads its socket: the frame is written and the answer read on that
 * thread, with no other thread in between. The JDK's {@code java.net.http.WebSocket} (see
 * {@link SessionSocket}) sends through its selector thread and delivers on an executor's, two
 * hand-offs a round trip that the benchmark measured as part of the session's cost.
 */
final class BlockingSessionSocket implements SessionClient {

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;
    private static final int NORMAL_CLOSURE = 1000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private BlockingSessionSocket(URI url, String apiKey) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        handshake(url, apiKey);
    }

    static BlockingSessionSocket open(URI url, String apiKey) {
        try {
            return new BlockingSessionSocket(url, apiKey);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a session at " + url, e);
        }
    }

    private void handshake(URI url, String apiKey) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + apiKey + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("the gateway refused the session: " + status);
        }
        String accept = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("the gateway answered Sec-WebSocket-Accept " + accept + ", not " + expectedAccept(key));
        }
    }

    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the gateway closed the connection during the handshake");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void send(byte[] payload) {
        try {
            writeFrame(OPCODE_BINARY, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next data message, answering pings on the way; its arrival is when its last byte was read. */
    @Override
    public Received next() {
        try {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0F;
                byte[] payload = new byte[payloadLength(second & 0x7F)];
                in.readFully(payload);
                switch (opcode) {
                    case OPCODE_PING -> writeFrame(OPCODE_PONG, payload);
                    case OPCODE_PONG -> { }
                    case OPCODE_CLOSE -> throw new IllegalStateException("the gateway closed the session: "
                            + closeReason(payload));
                    case OPCODE_TEXT -> throw new IllegalStateException("the benchmark speaks MessagePack; the gateway"
                            + " answered text: " + new String(payload, StandardCharsets.UTF_8));
                    case OPCODE_BINARY, OPCODE_CONTINUATION -> {
                        message.write(payload);
                        if (fin) {
                            return new Received(MessagePackValues.unpackMap(message.toByteArray()), System.nanoTime());
                        }
                    }
                    default -> throw new IllegalStateException("unknown WebSocket opcode " + opcode);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int payloadLength(int sevenBits) throws IOException {
        long length = switch (sevenBits) {
            case 126 -> in.readUnsignedShort();
            case 127 -> in.readLong();
            default -> sevenBits;
        };
        if (length > 16 * 1024 * 1024) {
            throw new IOException("a frame of " + length + " bytes; the gateway's answers are a few kilobytes");
        }
        return (int) length;
    }

    private static String closeReason(byte[] payload) {
        if (payload.length < 2) {
            return "no code";
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** One final frame, masked as RFC 6455 requires of a client, written in one call. */
    private void writeFrame(int opcode, byte[] payload) throws IOException {
        int headerLength = 2 + (payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8) + 4;
        byte[] frame = new byte[headerLength + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        int at = 2;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[at++] = (byte) (payload.length >>> 8);
            frame[at++] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[at++] = (byte) ((long) payload.length >>> shift);
            }
        }
        // Not SecureRandom: its nextBytes reads /dev/urandom, a system call on the timed path; the mask
        // only keeps intermediaries from reading frames as HTTP, which on loopback there are none of.
        int maskKey = ThreadLocalRandom.current().nextInt();
        byte[] mask = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
        System.arraycopy(mask, 0, frame, at, 4);
        at += 4;
        for (int i = 0; i < payload.length; i++) {
            frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() {
        try (socket) {
            writeFrame(OPCODE_CLOSE, new byte[] {(byte) (NORMAL_CLOSURE >>> 8), (byte) NORMAL_CLOSURE});
        } catch (IOException e) {
            // the gateway may have closed first; the socket is closed either way
        }
    }

}
