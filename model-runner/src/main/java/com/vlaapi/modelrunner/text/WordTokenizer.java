package com.vlaapi.modelrunner.text;

import com.vlaapi.modelrunner.ModelRunnerException.Code;
import com.vlaapi.modelrunner.bundle.InvalidManifestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference policy's word-level tokenizer: lower-case, split into runs of [a-z0-9], look each
 * word up in the bundle's vocabulary (line number = id), unknown words become {@code <unk>},
 * pad with {@code <pad>} (id 0) to {@code maxLength}. Mirrors {@code preprocess.tokenize}.
 */
public final class WordTokenizer {

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");

    private final Map<String, Integer> vocabulary;
    private final int unknownId;
    private final int maxLength;
    private final int maxChars;

    public WordTokenizer(Map<String, Integer> vocabulary, int maxLength, int maxChars) {
        if (!Integer.valueOf(0).equals(vocabulary.get(PAD)) || !vocabulary.containsKey(UNK)) {
            throw new InvalidManifestException("vocabulary must start with " + PAD + " (id 0) and contain " + UNK);
        }
        this.vocabulary = Map.copyOf(vocabulary);
        this.unknownId = vocabulary.get(UNK);
        this.maxLength = maxLength;
        this.maxChars = maxChars;
    }

    public static WordTokenizer fromVocabFile(Path vocabFile, int maxLength, int maxChars) {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidManifestException(vocabFile + ": cannot read the vocabulary: " + e.getMessage(), e);
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        for (String line : lines) {
            if (!line.isBlank() && vocabulary.putIfAbsent(line.strip(), vocabulary.size()) != null) {
                throw new InvalidManifestException(vocabFile + ": token '" + line.strip() + "' appears twice");
            }
        }
        return new WordTokenizer(vocabulary, maxLength, maxChars);
    }

    /** Word ids, padded or truncated to {@code maxLength}. */
    public long[] encode(String instruction) {
        if (instruction == null || instruction.isBlank()) {
            throw new InvalidInstructionException(Code.EMPTY_INSTRUCTION,
                    "The instruction is empty; say what the robot should do, e.g. \"pick up the red cube\".");
        }
        if (instruction.length() > maxChars) {
            throw new InvalidInstructionException(Code.INSTRUCTION_TOO_LONG,
                    "The instruction has " + instruction.length() + " characters; the limit is " + maxChars + ".");
        }
        long[] ids = new long[maxLength];
        Matcher words = WORD.matcher(instruction.toLowerCase(Locale.ROOT));
        for (int i = 0; i < maxLength && words.find(); i++) {
            ids[i] = vocabulary.getOrDefault(words.group(), unknownId);
        }
        return ids;
    }

    public int maxLength() {
        return maxLength;
    }
}
