package com.vlaapi.modelrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.batching.OverloadedException;
import com.vlaapi.testsupport.images.BadImages;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What one image may cost: its sides, how many decode at once, and what a damaged one tells the client. */
class ImageBoundsTest {

    private final ImageDecoder decoder = new ImageDecoder(8 * 1024 * 1024, 4096L * 4096L, 4096);

    @Test
    void aLongThinImageIsRefusedByItsSideThoughItsPixelsAreFew() {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(BadImages.stripe(5000, 1)));
        assertEquals("image_too_large", e.code());
        assertTrue(e.getMessage().contains("5000x1") && e.getMessage().contains("4096"), e.getMessage());
        assertEquals(4096, decoder.decode(BadImages.stripe(4096, 1)).width(), "the longest side allowed still decodes");
    }

    @Test
    void aDamagedImageTellsTheClientSoWithoutTheDecodersInternals() {
        byte[] whole = BadImages.stripe(64, 64);
        byte[] cut = Arrays.copyOf(whole, whole.length - 30);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(cut));
        assertEquals("truncated_image", e.code());
        assertFalse(e.getMessage().matches(".*(Exception|IIO|EOF|zlib|inflate|Error).*"), e.getMessage());
        assertNotNull(e.getCause(), "what the decoder said stays in the cause, for the service's log");
    }

    @Test
    void whenEveryDecodeSlotIsBusyTheNextRequestIsToldOverloadedAndLaterOnesGetIn() throws Exception {
        DecodeSlots slots = new DecodeSlots(new DecodingConfig(1, Duration.ofMillis(50)));
        CountDownLatch inSlot = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> slots.run(() -> {
            inSlot.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        inSlot.await();

        OverloadedException refused = assertThrows(OverloadedException.class, () -> slots.run(() -> "second"));
        assertEquals("overloaded", refused.code());

        release.countDown();
        assertEquals("first", holder.get());
        assertEquals("third", slots.run(() -> "third"), "a freed slot is taken again");
    }
}
