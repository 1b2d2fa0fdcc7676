package dev.weft.http;

/** {@link RequestPolicy#none()}: one attempt, no retry. */
final class NoPolicy implements RequestPolicy {
    static final NoPolicy INSTANCE = new NoPolicy();

    private NoPolicy() {
    }

    @Override
    public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
        return attempt.run(request);
    }

    @Override
    public String toString() {
        return "RequestPolicy.none()";
    }
}
