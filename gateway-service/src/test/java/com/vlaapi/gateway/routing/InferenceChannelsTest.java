package com.vlaapi.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.servicecontract.InferenceChannelFrames;
import com.vlaapi.servicecontract.RequestIds;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.server.HttpServer;

/**
 * The gateway's end of the inference channel against a stand-in inference instance that speaks
 * the channel's frames: answers find their requests in whatever order they come, a channel that
 * closes fails what it carried and the next request opens another, and an instance without a
 * channel is left to HTTP.
 */
class InferenceChannelsTest {

    private static final String TOKEN = "channel-test-token";
    private static final ResolvedApiKey KEY = new ResolvedApiKey(RequestIds.mint(), RequestIds.mint(), "active", "active",
            "pro", 100_000, 600, true, null);

    private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final InferenceChannels channels = new InferenceChannels(TOKEN, 1024, true, Duration.ofSeconds(30));
    private DisposableServer server;

    @AfterEach
    void stop() {
        channels.destroy();
        if (server != null) {
            server.disposeNow();
        }
    }

    @Test
    void answersFindTheirRequestsWhateverOrderTheyComeIn() {
        // Holds the first request until the second arrives, then answers the second first.
        URI instance = standIn(frames -> frames.buffer(2).flatMapIterable(pair -> List.of(pair.get(1), pair.get(0)))
                .map(request -> answer(request, 200, "echo " + body(request))));

        var answers = Mono.zip(
                        channels.send(instance, RequestIds.mint().toString(), KEY, json("one")),
                        channels.send(instance, RequestIds.mint().toString(), KEY, json("two")))
                .block(Duration.ofSeconds(10));

        assertEquals("echo {\"say\":\"one\"}", new String(answers.getT1().body(), StandardCharsets.UTF_8));
        assertEquals("echo {\"say\":\"two\"}", new String(answers.getT2().body(), StandardCharsets.UTF_8));
        assertThat(answers.getT1().upstreamMs()).isGreaterThan(answers.getT2().upstreamMs());
        assertEquals(1, handshakes.get(), "one connection carries both");
        assertEquals(List.of(TOKEN), tokensSeen);
    }

    @Test
    void eachEventLoopSendsOnAChannelOfItsOwnAndGetsItsAnswerBackOnItsOwnThread() {
        URI instance = standIn(frames -> frames.map(request -> answer(request, 200, "{}")));
        EventLoopGroup loops = HttpResources.get().onClient(true);
        List<String> sentOn = new ArrayList<>();
        List<String> answeredOn = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EventLoop loop = loops.next();
            answeredOn.add(Mono.defer(() -> {
                        sentOn.add(Thread.currentThread().getName());
                        return channels.send(instance, RequestIds.mint().toString(), KEY, json("loop"));
                    })
                    .subscribeOn(Schedulers.fromExecutor(loop))
                    .map(answer -> Thread.currentThread().getName())
                    .block(Duration.ofSeconds(10)));
        }

        assertEquals(sentOn, answeredOn, "no thread hand-off between the request and its answer");
        assertEquals(new HashSet<>(sentOn).size(), handshakes.get(), "one channel per loop: " + sentOn);
        assertThat(handshakes.get()).isGreaterThan(1);
    }

    @Test
    void aChannelThatClosesFailsWhatItCarriedAndTheNextRequestOpensAnother() {
        URI instance = standIn(frames -> frames.takeUntil(request -> body(request).contains("drop"))
                .filter(request -> !body(request).contains("drop"))
                .map(request -> answer(request, 200, "{}")));

        Mono<InferenceChannels.Answer> dropped = channels.send(instance, RequestIds.mint().toString(), KEY, json("drop"));
        assertThat(Exceptions.unwrap(assertThrows(RuntimeException.class, () -> dropped.block(Duration.ofSeconds(10)))))
                .isInstanceOf(IOException.class);
        InferenceChannels.Answer next = channels.send(instance, RequestIds.mint().toString(), KEY, json("fine"))
                .block(Duration.ofSeconds(10));

        assertEquals(200, next.status());
        assertEquals(2, handshakes.get());
    }

    @Test
    void aRequestAStoppingInstanceDidNotTakeFailsAsARefusedConnectionAndTheChannelIsNotUsedAgain() {
        URI instance = standIn(frames -> frames.map(request -> answer(request,
                body(request).contains("stopping") ? InferenceChannelFrames.NOT_TAKEN : 200, "{}")));

        Mono<InferenceChannels.Answer> refused = channels.send(instance, RequestIds.mint().toString(), KEY, json("stopping"));
        assertThat(Exceptions.unwrap(assertThrows(RuntimeException.class, () -> refused.block(Duration.ofSeconds(10)))))
                .isInstanceOf(ConnectException.class);
        assertEquals(200, channels.send(instance, RequestIds.mint().toString(), KEY, json("next"))
                .block(Duration.ofSeconds(10)).status());
        assertEquals(2, handshakes.get(), "the next request opened a channel of its own");
    }

    @Test
    void anInstanceWithoutAChannelIsLeftToHttpAndNotAskedAgainAtOnce() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get(InferenceChannelFrames.PATH, (request, response) -> {
                    handshakes.incrementAndGet();
                    return response.status(404).sendString(Mono.just("{}"));
                }))
                .bindNow();
        URI instance = URI.create("http://127.0.0.1:" + server.port());

        assertNull(channels.send(instance, RequestIds.mint().toString(), KEY, json("one")).block(Duration.ofSeconds(10)));
        assertNull(channels.send(instance, RequestIds.mint().toString(), KEY, json("two")).block(Duration.ofSeconds(10)));
        assertEquals(1, handshakes.get());
    }

    @Test
    void aBodyTooLargeForTheChannelIsLeftToHttpWithoutConnecting() {
        URI instance = standIn(frames -> frames.map(request -> answer(request, 200, "{}")));

        assertNull(channels.send(instance, RequestIds.mint().toString(), KEY, new byte[1025]).block(Duration.ofSeconds(10)));
        assertEquals(0, handshakes.get());
    }

    /**
     * On a gateway event loop the answer's timer runs on the channel's loop, elsewhere on Reactor's;
     * either way an unanswered request fails as an HTTP call past its response timeout does, and
     * the channel goes on serving.
     */
    @Test
    void aRequestNotAnsweredInTimeFailsWithATimeoutAndTheChannelServesTheNext() {
        URI instance = standIn(frames -> frames.filter(request -> !body(request).contains("hang"))
                .map(request -> answer(request, 200, "{}")));
        InferenceChannels impatient = new InferenceChannels(TOKEN, 1024, true, Duration.ofMillis(300));
        try {
            EventLoop loop = HttpResources.get().onClient(true).next();
            Mono<InferenceChannels.Answer> onTheLoop = Mono.defer(
                    () -> impatient.send(instance, RequestIds.mint().toString(), KEY, json("hang"))).subscribeOn(Schedulers.fromExecutor(loop));
            Mono<InferenceChannels.Answer> offTheLoop = impatient.send(instance, RequestIds.mint().toString(), KEY, json("hang"));

            for (Mono<InferenceChannels.Answer> unanswered : List.of(onTheLoop, offTheLoop)) {
                assertThat(Exceptions.unwrap(assertThrows(RuntimeException.class, () -> unanswered.block(Duration.ofSeconds(10)))))
                        .isInstanceOf(TimeoutException.class);
            }
            assertEquals(200, Mono.defer(() -> impatient.send(instance, RequestIds.mint().toString(), KEY, json("fine")))
                    .subscribeOn(Schedulers.fromExecutor(loop)).block(Duration.ofSeconds(10)).status());
            assertEquals(2, handshakes.get(), "a channel for the loop and one for the caller that is not one, each kept");
        } finally {
            impatient.destroy();
        }
    }

    /** A stand-in instance whose channel turns the request frames it receives into the answer frames it sends. */
    private URI standIn(Function<Flux<InferenceChannelFrames.Request>, Flux<byte[]>> answering) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws(InferenceChannelFrames.PATH, (in, out) -> {
                    handshakes.incrementAndGet();
                    tokensSeen.add(in.headers().get("X-Internal-Token"));
                    Flux<InferenceChannelFrames.Request> requests = in.aggregateFrames().receiveFrames()
                            .map(frame -> InferenceChannelFrames.readRequest(ByteBufUtil.getBytes(frame.content())).orElseThrow());
                    return out.sendObject(answering.apply(requests)
                            .map(bytes -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))));
                }))
                .bindNow();
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static byte[] answer(InferenceChannelFrames.Request request, int status, String body) {
        return InferenceChannelFrames.answer(request.requestId(), status, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(InferenceChannelFrames.Request request) {
        return new String(request.frame(), request.bodyOffset(), request.bodyLength(), StandardCharsets.UTF_8);
    }

    private static byte[] json(String say) {
        return ("{\"say\":\"" + say + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
