package org.longnet.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The curves of a run: training loss per step and validation bits per byte, kept in the checkpoint. */
public final class History {
    public record Point(long step, double value) {
    }

    private final List<Point> train = new ArrayList<>();
    private final List<Point> validation = new ArrayList<>();

    public List<Point> train() {
        return List.copyOf(train);
    }

    public List<Point> validation() {
        return List.copyOf(validation);
    }

    void addTrain(long step, double loss) {
        train.add(new Point(step, loss));
    }

    void addValidation(long step, double bitsPerByte) {
        validation.add(new Point(step, bitsPerByte));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_loss", points(train));
        m.put("validation_bpb", points(validation));
        return m;
    }

    static History fromJson(Map<?, ?> m) {
        History h = new History();
        read(m.get("train_loss"), h.train);
        read(m.get("validation_bpb"), h.validation);
        return h;
    }

    private static List<Object> points(List<Point> points) {
        List<Object> out = new ArrayList<>();
        for (Point p : points) {
            out.add(List.of(p.step(), p.value()));
        }
        return out;
    }

    private static void read(Object json, List<Point> into) {
        if (!(json instanceof List<?> list)) {
            throw new IllegalArgumentException("training state: the loss history must be a list");
        }
        for (Object o : list) {
            if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number s) || !(pair.get(1) instanceof Number v)) {
                throw new IllegalArgumentException("training state: history entries must be [step, value], one was " + o);
            }
            into.add(new Point(s.longValue(), v.doubleValue()));
        }
    }
}
