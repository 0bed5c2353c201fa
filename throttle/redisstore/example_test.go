package redisstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldsms/herald/throttle"
	"github.com/heraldsms/herald/throttle/redisstore"
	"github.com/redis/go-redis/v9"
)

// Every app instance builds the same store over the shared Redis and hands
// it to its Limiter; they then share each sender's throughput.
func Example() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	limiter := throttle.NewLimiter(redisstore.New(client, redisstore.WithPrefix("myapp:throttle:")))

	keys := throttle.Preset(throttle.TollFreeVerified).Keys("+18005550100", "acme", time.Now())
	if err := limiter.Wait(context.Background(), keys, 2); err != nil {
		fmt.Println("not sent:", err)
	}
}
