package dev.postoffice.core.internal.route;

import dev.postoffice.model.Payload;
import java.util.Map;

/**
 * One output of a transform stage, before it becomes an entry.
 *
 * @param payload the encoded output
 * @param headers headers to keep on the output entry
 */
public record Output(Payload payload, Map<String, String> headers) {}
