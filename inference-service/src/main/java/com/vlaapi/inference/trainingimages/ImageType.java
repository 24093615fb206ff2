package com.vlaapi.inference.trainingimages;

/** The formats the model accepts (model-runner refuses others before an image gets here), by their magic bytes. */
enum ImageType {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg"),
    OTHER("bin", "application/octet-stream");

    private final String extension;
    private final String contentType;

    ImageType(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    static ImageType of(byte[] image) {
        if (image.length >= 8 && (image[0] & 0xFF) == 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G') {
            return PNG;
        }
        if (image.length >= 3 && (image[0] & 0xFF) == 0xFF && (image[1] & 0xFF) == 0xD8 && (image[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        return OTHER;
    }

    String extension() {
        return extension;
    }

    String contentType() {
        return contentType;
    }
}
