package com.vlaapi.gateway.openpi;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An openpi camera frame (a uint8 array of height x width x 3, RGB) as the PNG inference-service
 * reads: lossless, so the model sees exactly the client's pixels. Written with the fastest deflate
 * level: it crosses only the fleet's own network, where bytes are cheaper than milliseconds.
 */
final class PngFrames {

    private PngFrames() {
    }

    static byte[] encode(NumpyArrays.NdArray frame) throws NumpyArrays.BadArray {
        int[] shape = frame.shape();
        if (frame.kind() != 'u' || frame.itemSize() != 1 || shape.length != 3 || shape[2] != 3
                || shape[0] == 0 || shape[1] == 0) {
            throw new NumpyArrays.BadArray("an image must be a uint8 array of shape (height, width, 3), RGB");
        }
        int height = shape[0];
        int width = shape[1];
        byte[] rgb = frame.data();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[width * height];
        for (int i = 0, p = 0; i < pixels.length; i++, p += 3) {
            pixels[i] = (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | (rgb[p + 2] & 0xff);
        }
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // In memory: ImageIO's own streams cache to a temporary file by default.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam fastest = writer.getDefaultWriteParam();
            fastest.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            fastest.setCompressionQuality(1.0f);
            writer.write(null, new IIOImage(image, null, null), fastest);
        } catch (IOException e) {
            throw new UncheckedIOException("writing into memory cannot fail", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
