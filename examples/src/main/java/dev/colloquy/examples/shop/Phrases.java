package dev.colloquy.examples.shop;

import java.util.List;
import java.util.Map;

/**
 * What customers say and what the shop answers, per intent and language. Customer phrasings vary
 * widely so the model learns the intent rather than the sentence; the shop's answers are fixed per
 * intent (order answers are filled from the tool's result) so the model learns one clear reply.
 */
final class Phrases {

  private Phrases() {
  }

  static final String SYSTEM_EN = "You are the assistant of the Acme shop.";
  static final String SYSTEM_ZH = "你是Acme商店的客服助手。";

  static final Map<Intent, List<String>> ASK_EN = Map.of(
      Intent.GREETING, List.of("Hi", "Hello", "Hello there", "Hey", "Good morning", "Good evening", "Hi, anyone there?",
          "Hello, I have a question", "Hey there!", "Good afternoon"),
      Intent.ORDER_STATUS, List.of("Where is my order {id}?", "What is the status of order {id}?",
          "Can you check order {id} for me?", "Has order {id} shipped yet?", "I ordered something, the number is {id}. Where is it?",
          "Track order {id} please", "Any news on my order {id}?", "order {id} status", "Did you send order {id}?",
          "My order number is {id}, when will it come?", "Could you look up order {id}?", "Where's {id}?"),
      Intent.DELIVERY_TIME, List.of("How long does delivery take?", "When will my package arrive if I order today?",
          "How fast is shipping?", "What are your delivery times?", "How many days for delivery?",
          "Do you ship quickly?", "How long until I get my stuff?", "What is the shipping time?"),
      Intent.RETURNS, List.of("How do I return an item?", "Can I get a refund?", "I want to send something back",
          "What is your return policy?", "How do refunds work?", "The shoes don't fit, can I return them?",
          "I'd like my money back", "Can I exchange a product?", "How many days do I have to return something?"),
      Intent.OPENING_HOURS, List.of("When are you open?", "What are your opening hours?", "Are you open on Sunday?",
          "What time do you close?", "When does the shop open?", "Are you open now?", "What are your hours?",
          "Is the store open on weekends?"),
      Intent.HUMAN, List.of("I want to talk to a human", "Can I speak to a real person?", "Connect me to an agent",
          "Let me talk to someone", "I need a human, please", "Transfer me to customer service staff",
          "Is there a person I can talk to?", "Get me a manager"),
      Intent.THANKS_BYE, List.of("Thanks", "Thank you!", "Thanks, bye", "Great, thank you", "That's all, goodbye",
          "Bye", "Thanks a lot", "OK thanks, see you", "Perfect, thanks!"),
      Intent.OFF_TOPIC, List.of("What's the weather tomorrow?", "Write me a poem", "Who won the football game?",
          "What is the capital of France?", "Can you help with my math homework?", "Tell me a joke",
          "What do you think about politics?", "Recommend a good movie", "How do I cook pasta?",
          "What is the meaning of life?"));

  static final Map<Intent, List<String>> ASK_ZH = Map.of(
      Intent.GREETING, List.of("你好", "您好", "嗨", "早上好", "晚上好", "你好，在吗？", "您好，我有个问题", "哈喽", "下午好"),
      Intent.ORDER_STATUS, List.of("我的订单{id}到哪了？", "帮我查一下订单{id}", "订单{id}发货了吗？", "订单号{id}，现在什么状态？",
          "请查询订单{id}的状态", "我的订单{id}什么时候到？", "{id}这个订单怎么样了？", "查订单{id}", "订单{id}有消息吗？",
          "麻烦看看订单{id}"),
      Intent.DELIVERY_TIME, List.of("配送需要多长时间？", "今天下单什么时候能到？", "发货快吗？", "一般几天送到？", "快递要几天？",
          "送货时间是多久？", "多久能收到货？"),
      Intent.RETURNS, List.of("怎么退货？", "可以退款吗？", "我想退货", "你们的退货政策是什么？", "退款怎么操作？", "鞋子不合适，能退吗？",
          "我想把钱退回来", "可以换货吗？", "退货有几天期限？"),
      Intent.OPENING_HOURS, List.of("你们几点营业？", "营业时间是什么？", "周日开门吗？", "几点关门？", "商店什么时候开门？",
          "现在营业吗？", "周末开门吗？"),
      Intent.HUMAN, List.of("我要找人工客服", "可以转人工吗？", "我想和真人说话", "帮我转接客服", "请给我接人工", "有没有人工服务？",
          "找你们经理"),
      Intent.THANKS_BYE, List.of("谢谢", "谢谢你！", "好的，再见", "非常感谢", "没别的了，拜拜", "再见", "多谢", "好的谢谢"),
      Intent.OFF_TOPIC, List.of("明天天气怎么样？", "给我写一首诗", "昨天的足球比赛谁赢了？", "法国的首都是哪里？", "能帮我做数学作业吗？",
          "讲个笑话", "你对政治怎么看？", "推荐一部好电影", "意大利面怎么做？"));

  static final Map<Intent, String> ANSWER_EN = Map.of(
      Intent.GREETING, "Hello! How can I help you today?",
      Intent.DELIVERY_TIME, "Delivery takes 2 to 4 working days.",
      Intent.RETURNS, "You can return items within 30 days. Your refund arrives 5 days after we receive the item.",
      Intent.OPENING_HOURS, "We are open Monday to Saturday, 9:00 to 18:00.",
      Intent.HUMAN, "I will hand you over to a colleague now. Please wait a moment.",
      Intent.THANKS_BYE, "You are welcome! Goodbye.",
      Intent.OFF_TOPIC, "Sorry, I can only help with orders, delivery, returns and opening hours.");

  static final Map<Intent, String> ANSWER_ZH = Map.of(
      Intent.GREETING, "您好！请问有什么可以帮您？",
      Intent.DELIVERY_TIME, "配送需要2到4个工作日。",
      Intent.RETURNS, "您可以在30天内退货。我们收到商品后5天内退款。",
      Intent.OPENING_HOURS, "我们周一至周六9:00到18:00营业。",
      Intent.HUMAN, "我现在为您转接人工客服，请稍等。",
      Intent.THANKS_BYE, "不客气！再见。",
      Intent.OFF_TOPIC, "抱歉，我只能帮您处理订单、配送、退货和营业时间的问题。");

  static final List<String> STATUSES = List.of("processing", "shipped", "delivered", "cancelled");

  /** The order answer per status; {id} and {date} come from the tool result. */
  static final Map<String, String> ORDER_ANSWER_EN = Map.of(
      "processing", "Order {id} is being prepared and will ship by {date}.",
      "shipped", "Order {id} has shipped and should arrive on {date}.",
      "delivered", "Order {id} was delivered on {date}.",
      "cancelled", "Order {id} was cancelled on {date}.");

  static final Map<String, String> ORDER_ANSWER_ZH = Map.of(
      "processing", "订单{id}正在备货，将于{date}前发货。",
      "shipped", "订单{id}已发货，预计{date}送达。",
      "delivered", "订单{id}已于{date}送达。",
      "cancelled", "订单{id}已于{date}取消。");

  static String system(Language language) {
    return language == Language.EN ? SYSTEM_EN : SYSTEM_ZH;
  }

  static List<String> asks(Language language, Intent intent) {
    return (language == Language.EN ? ASK_EN : ASK_ZH).get(intent);
  }

  static String answer(Language language, Intent intent) {
    return (language == Language.EN ? ANSWER_EN : ANSWER_ZH).get(intent);
  }

  static String orderAnswer(Language language, String status) {
    return (language == Language.EN ? ORDER_ANSWER_EN : ORDER_ANSWER_ZH).get(status);
  }
}
