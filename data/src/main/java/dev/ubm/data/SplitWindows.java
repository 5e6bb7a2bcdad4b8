package dev.ubm.data;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The organisers' split rule (data_utils/split_data.py, DAYS_IN_TARGET = 14), in one place: end = max
 * product_buy timestamp; train target = [trunc_day(end − 27 days), +14 days); validation target =
 * [train start + 14 days, end]; input = every event before the train target start.
 */
public record SplitWindows(LocalDateTime end, LocalDateTime trainStart, LocalDateTime validationStart) {
    public static final int DAYS_IN_TARGET = 14;
    /** The timestamp format of the challenge files. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The windows for data whose last product_buy happened at {@code maxBuy}. */
    public static SplitWindows fromMaxBuy(LocalDateTime maxBuy) {
        LocalDateTime trainStart = maxBuy.minusDays(2L * DAYS_IN_TARGET - 1).truncatedTo(ChronoUnit.DAYS);
        return new SplitWindows(maxBuy, trainStart, trainStart.plusDays(DAYS_IN_TARGET));
    }

    /** True for timestamps of the input period. */
    public boolean isInput(LocalDateTime ts) {
        return ts.isBefore(trainStart);
    }

    public boolean isTrainTarget(LocalDateTime ts) {
        return !ts.isBefore(trainStart) && ts.isBefore(validationStart);
    }

    /** Validation window: [validationStart, end], end inclusive as in the organisers' script. */
    public boolean isValidationTarget(LocalDateTime ts) {
        return !ts.isBefore(validationStart) && !ts.isAfter(end);
    }
}
