package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiException;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Base64ImageTest {

    /** Bytes whose encodings use '+' and '/' (standard) or '-' and '_' (URL-safe), and need padding. */
    private static final byte[] BYTES = {(byte) 0xfb, (byte) 0xff, (byte) 0xfe, 0x00, 0x10};

    @Test
    void acceptsTheEncodingsClientsSend() {
        for (String encoded : new String[] {
                Base64.getEncoder().encodeToString(BYTES),
                Base64.getEncoder().withoutPadding().encodeToString(BYTES),
                Base64.getUrlEncoder().encodeToString(BYTES),
                Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES),
                "data:image/png;base64," + Base64.getEncoder().encodeToString(BYTES),
                "DATA:image/jpeg;BASE64," + Base64.getUrlEncoder().encodeToString(BYTES),
                Base64.getEncoder().encodeToString(BYTES).substring(0, 4) + "\n"
                        + Base64.getEncoder().encodeToString(BYTES).substring(4) + "\r\n"}) {
            assertArrayEquals(BYTES, Base64Image.decode(encoded), encoded);
        }
    }

    @Test
    void refusesWhatIsNotBase64() {
        for (String bad : new String[] {"not base64!", "+/-_", "data:image/png,rawbytes", "abc$"}) {
            ApiException e = assertThrows(ApiException.class, () -> Base64Image.decode(bad), bad);
            assertEquals("invalid_base64", e.error().code());
            assertEquals(400, e.error().status().value());
        }
    }

    @Test
    void anErrorNamesTheFieldItWasIn() {
        ApiException e = assertThrows(ApiException.class, () -> Base64Image.decode("abc$", "frames[3].image"));
        assertEquals("Field 'frames[3].image' is not valid base64 (standard or URL-safe alphabet).", e.error().message());
        ApiException dataUrl = assertThrows(ApiException.class, () -> Base64Image.decode("data:image/png,raw", "frames[0].image"));
        assertEquals("Field 'frames[0].image' is a data URL but not a base64 one (data:image/png;base64,...).",
                dataUrl.error().message());
    }
}
