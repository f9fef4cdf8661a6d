package com.hourlyanalytics.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start baseline the functions are compared with: what the runtime client alone costs, with the
 * functions' handler type (the event is read and dropped, a fixed proxy response written).
 */
public final class DoNothingStreamHandler implements RequestStreamHandler {

    private static final byte[] RESPONSE = "{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(RESPONSE);
    }
}
