package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageEncodingTest {

    @Test
    void bytesAreSentAsTheyAreInStandardBase64() {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xfb, (byte) 0xff};
        assertEquals("iVBOR/v/", ImageEncoding.encode(bytes));
    }

    @Test
    void aFileIsSentByItsBytes(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("camera.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2});
        assertEquals(ImageEncoding.encode(Files.readAllBytes(file)), ImageEncoding.encode(file));
        assertThrows(UncheckedIOException.class, () -> ImageEncoding.encode(dir.resolve("missing.png")));
    }

    @Test
    void aBufferedImageIsSentAsALosslessPng() throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        image.setRGB(2, 1, 0x12ab34);
        byte[] png = Base64.getDecoder().decode(ImageEncoding.encode(image));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(3, decoded.getWidth());
        assertEquals(2, decoded.getHeight());
        for (int x = 0; x < 3; x++) {
            for (int y = 0; y < 2; y++) {
                assertEquals(image.getRGB(x, y), decoded.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }
}
