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
          "Hello, I have a question", "Hey there!", "Good afternoon",
          "Hi there", "Morning!", "Hello, is this the Acme shop?", "Hey, good day", "Greetings", "Hi! I need some help", "Hello, can you help me?", "Hey, hello", "Good day", "Hi again", "Hiya", "Hello, are you there?", "Hi, I have a quick question", "Hello hello", "Hey, what's up?", "Yo", "Hello, good to see you", "Hi, how are you?", "Hey, I'm back", "Hello, can I ask something?", "Hi, good morning", "Howdy", "Hi, hope you're well", "Hello, is anyone available?", "Hello, quick help needed", "Hi, good evening", "Hey hey", "Hello, anybody home?", "Hi, nice to meet you", "Good morning to you", "Hello, I need assistance", "Hi, is someone there?", "Hey, can you help?", "Hello, support?", "Hi team", "Hello, how's it going?", "Hey, good morning", "Hi, hello", "Hello, I'm new here"),
      Intent.ORDER_STATUS, List.of("Where is my order {id}?", "What is the status of order {id}?",
          "Can you check order {id} for me?", "Has order {id} shipped yet?", "I ordered something, the number is {id}. Where is it?",
          "Track order {id} please", "Any news on my order {id}?", "order {id} status", "Did you send order {id}?",
          "My order number is {id}, when will it come?", "Could you look up order {id}?", "Where's {id}?",
          "What happened to order {id}?", "Is order {id} on its way?", "Status of {id}?", "Check my order {id}", "When does order {id} arrive?", "I am waiting for order {id}", "Please track my package {id}", "Where is package {id}?", "What's up with order number {id}?", "Tell me about order {id}", "Has {id} been delivered?", "Is my order {id} coming today?", "Look up {id} for me", "I want to know where order {id} is", "order number {id}, any update?", "Can you find my order {id}?", "Give me the status of {id}", "Track {id}", "Where is order {id} now?", "I'm still waiting for {id}, any update?", "Could you tell me where my parcel {id} is?", "What's the tracking status for {id}?", "Has my order {id} left the warehouse?", "When will I get order {id}?", "Can you trace order {id}?", "My package {id} hasn't arrived", "Update on order {id} please", "Is {id} shipped?", "Where is my stuff from order {id}?", "Order {id} hasn't shown up yet", "Can I get an update on {id}?", "Could you check the delivery of order {id}?", "Is order {id} delayed?", "I need the status of order {id}", "What's going on with {id}?", "Please check {id}", "Has order {id} been sent?", "Can you see where {id} is?"),
      Intent.DELIVERY_TIME, List.of("How long does delivery take?", "When will my package arrive if I order today?",
          "How fast is shipping?", "What are your delivery times?", "How many days for delivery?",
          "Do you ship quickly?", "How long until I get my stuff?", "What is the shipping time?",
          "How long is shipping?", "When would an order arrive?", "How quickly do you deliver?", "Delivery time please", "How many days does shipping take?", "What's the delivery time to my city?", "Is delivery fast?", "How soon can I get it?", "How long do packages take?", "When will new orders be delivered?", "What is the usual delivery time?", "Shipping takes how long?", "How long will shipping take?", "How many days until delivery?", "What's your typical shipping time?", "When do orders usually arrive?", "How soon do you ship after I order?", "Is there fast delivery?", "How long for a package to reach me?", "Delivery takes how many days?", "What is the delivery time for new orders?", "How long do I wait for delivery?", "How long is delivery usually?", "When can I expect my package?", "What's the shipping time to my address?", "How many working days is delivery?", "Do you deliver fast?", "If I buy today, when does it come?", "How long will it take to arrive?", "What's the estimated delivery time?", "How long does standard shipping take?", "When should my package come?", "Delivery speed?", "How long does it take to ship?"),
      Intent.RETURNS, List.of("How do I return an item?", "Can I get a refund?", "I want to send something back",
          "What is your return policy?", "How do refunds work?", "The shoes don't fit, can I return them?",
          "I'd like my money back", "Can I exchange a product?", "How many days do I have to return something?",
          "How can I return this?", "I want a refund", "Can I send it back?", "What's the refund policy?", "Return an item please", "How do I get my money back?", "The item is broken, can I return it?", "Do you accept returns?", "Is a refund possible?", "I need to return my order", "How long does a refund take?", "Can I return a gift?", "Can I return something I bought?", "What's your returns process?", "I'd like to return a product", "How do I ask for a refund?", "Can I get my money back for this?", "Is it possible to return an item?", "I want to return these shoes", "Refund please", "What do I do to return an order?", "Can I return an item after a week?", "Can I send back an item I don't like?", "What's the process for a refund?", "I want to return an item", "Can I exchange this for another size?", "How long do I have to return an item?", "Returns policy?", "I want my money back", "Can I return it if it's broken?", "Do you give refunds?", "Can I return an opened item?", "How do I start a return?", "Refund for my purchase please"),
      Intent.OPENING_HOURS, List.of("When are you open?", "What are your opening hours?", "Are you open on Sunday?",
          "What time do you close?", "When does the shop open?", "Are you open now?", "What are your hours?",
          "Is the store open on weekends?",
          "What are your business hours?", "When do you open tomorrow?", "Are you open on Saturday?", "Opening times?", "What time do you open?", "Until when are you open?", "Is the shop open today?", "When can I visit the shop?", "Are you closed on Sunday?", "What hours is the store open?", "Hours of business?", "Do you open early?", "What time does the shop close?", "When do you close today?", "Are you open late?", "What are the store hours?", "Is the shop open on Monday?", "When are you closed?", "What days are you open?", "Open on holidays?", "When does the store close on Saturday?", "What are your opening times this week?", "When do you open on Monday?", "What time are you open until?", "Are you open in the evening?", "What are the shop's hours?", "When does the store open in the morning?", "Are you open right now?", "What time does the store open?", "Is the shop closed today?", "Opening hours please", "Do you close early on Saturday?", "When can I come to the store?", "What are your weekend hours?"),
      Intent.HUMAN, List.of("I want to talk to a human", "Can I speak to a real person?", "Connect me to an agent",
          "Let me talk to someone", "I need a human, please", "Transfer me to customer service staff",
          "Is there a person I can talk to?", "Get me a manager",
          "Can I talk to a person?", "I want a real human", "Human please", "Let me speak with staff", "Put me through to someone", "I'd rather talk to a person", "Connect me with support staff", "Can a human help me?", "Speak to an employee", "I need to talk to someone real", "Give me a human agent", "Transfer me please", "Can I talk to a staff member?", "I want to speak to a human agent", "Please get me a real person", "Is a human available?", "I need to speak with someone", "Could you connect me to a person?", "Talk to human", "Real person please", "I prefer talking to a human", "Can someone from your team help me?", "I want to speak to customer service", "Let me talk to a real agent", "Is there anyone human?", "Connect me to a human", "I need a human agent", "Operator please", "Get me someone real", "May I speak with a person?", "Can I chat with a human?", "I'd like to talk to staff", "Please connect me to someone", "A person, please"),
      Intent.THANKS_BYE, List.of("Thanks", "Thank you!", "Thanks, bye", "Great, thank you", "That's all, goodbye",
          "Bye", "Thanks a lot", "OK thanks, see you", "Perfect, thanks!",
          "Appreciate your help", "Thank you very much", "Cheers, bye", "Goodbye", "Bye bye", "Many thanks", "Thanks, that helps", "Great, bye", "OK, thank you", "Thank you, goodbye", "See you", "That's everything, thanks", "Thx", "Thanks so much", "Thank you, bye!", "OK, bye", "Great, thanks a lot", "Thank you for your help", "Bye, have a nice day", "Thanks, that's all", "Awesome, thanks", "Goodbye and thanks", "Thanks again", "Thanks, see you later", "Bye for now", "Thank you so much, bye", "Thanks, have a good day", "Cool, thanks", "Nice, thank you", "Alright, bye", "Thanks, goodbye!", "Thank you kindly", "That helped, thanks", "Bye then", "Thanks for everything", "Later, bye", "Thanks, talk later", "Goodbye, thank you"),
      Intent.OFF_TOPIC, List.of("What's the weather tomorrow?", "Write me a poem", "Who won the football game?",
          "What is the capital of France?", "Can you help with my math homework?", "Tell me a joke",
          "What do you think about politics?", "Recommend a good movie", "How do I cook pasta?",
          "What is the meaning of life?",
          "Who is the president?", "Solve 2x + 3 = 7", "What's the best phone?", "Tell me a story", "How tall is Mount Everest?", "Translate hello into French", "Can you write code for me?", "What's the stock price of Apple?", "Give me a recipe for cake", "Who are you voting for?", "What time is it in Tokyo?", "Sing a song", "What's 15 times 3?", "Who wrote Hamlet?", "Can you book me a flight?", "What's the news today?", "Tell me about dinosaurs", "What should I name my dog?", "How do I fix my car?", "Write an essay for me", "Which team will win the cup?", "What is 100 divided by 4?", "What's the capital of Japan?", "Can you do my taxes?", "What is 7 plus 8?", "Tell me something funny", "Who invented the telephone?", "Which car should I buy?", "Explain quantum physics", "Plan my holiday", "What's a good book?", "How do I lose weight?", "Will it rain today?", "Who is the richest person?"));

  static final Map<Intent, List<String>> ASK_ZH = Map.of(
      Intent.GREETING, List.of("你好", "您好", "嗨", "早上好", "晚上好", "你好，在吗？", "您好，我有个问题", "哈喽", "下午好",
          "你好呀", "您好，在吗", "嗨，你好", "早安", "哈喽，在吗？", "你好，我想咨询一下", "您好，请问是Acme商店吗？", "喂，你好", "中午好", "你好，麻烦帮个忙", "在吗？", "您好呀", "你好你好", "哈喽哈喽", "你好，有人吗？", "嗨，在不在？", "您好，打扰了", "晚上好呀", "你好，我来咨询", "嗨，早上好", "您好，请问有人在吗？", "你好呀，在吗", "哈啰"),
      Intent.ORDER_STATUS, List.of("我的订单{id}到哪了？", "帮我查一下订单{id}", "订单{id}发货了吗？", "订单号{id}，现在什么状态？",
          "请查询订单{id}的状态", "我的订单{id}什么时候到？", "{id}这个订单怎么样了？", "查订单{id}", "订单{id}有消息吗？",
          "麻烦看看订单{id}",
          "订单{id}现在在哪里？", "我想查一下{id}", "订单{id}到了吗？", "帮我看下订单号{id}", "{id}发货没有？", "查询订单号{id}", "我的包裹{id}在哪？", "订单{id}什么时候送到？", "请帮我查订单{id}", "订单{id}的物流怎么样？", "{id}的状态是什么？", "订单{id}还没到，怎么回事？", "帮忙查查{id}", "我在等订单{id}", "订单编号{id}，请查询", "看一下我的订单{id}", "订单{id}送到了没？", "{id}订单到哪一步了？", "订单{id}现在什么情况？", "帮我追踪一下订单{id}", "我的订单{id}怎么还没到？", "{id}这个单子到哪了？", "请问订单{id}发出了吗？", "查一下我的包裹{id}", "订单{id}的快递到哪了？", "单号{id}，帮我看看", "订单{id}什么时候发货？", "我想知道订单{id}的进度"),
      Intent.DELIVERY_TIME, List.of("配送需要多长时间？", "今天下单什么时候能到？", "发货快吗？", "一般几天送到？", "快递要几天？",
          "送货时间是多久？", "多久能收到货？",
          "快递多久到？", "送货要几天？", "配送时间多长？", "一般多久发货到家？", "下单后几天能到？", "物流要多久？", "几天能送到？", "送得快吗？", "配送一般要几天？", "多长时间能收到？", "发货后多久到？", "多久能送到？", "快递一般几天到？", "配送要多久？", "下单以后多久能收到？", "送货快不快？", "你们发货要几天？", "几天能到货？", "运输时间多长？", "到货需要几天？", "一般多少天送到？"),
      Intent.RETURNS, List.of("怎么退货？", "可以退款吗？", "我想退货", "你们的退货政策是什么？", "退款怎么操作？", "鞋子不合适，能退吗？",
          "我想把钱退回来", "可以换货吗？", "退货有几天期限？",
          "怎么申请退款？", "我要退款", "能退货吗？", "东西坏了能退吗？", "退货流程是什么？", "钱什么时候退回来？", "可以退吗？", "支持退货吗？", "如何办理退货？", "我想申请退货", "退款多久到账？", "礼物可以退吗？", "东西能退吗？", "我想退款", "退货怎么弄？", "不想要了可以退吗？", "怎么把东西退回去？", "退款要怎么申请？", "能给我退钱吗？", "我买的东西想退", "衣服不合适想退货", "退货要几天？"),
      Intent.OPENING_HOURS, List.of("你们几点营业？", "营业时间是什么？", "周日开门吗？", "几点关门？", "商店什么时候开门？",
          "现在营业吗？", "周末开门吗？",
          "你们几点开门？", "营业到几点？", "周六营业吗？", "开门时间是几点？", "今天开门吗？", "你们的营业时间？", "周日休息吗？", "商店几点营业？", "早上几点开？", "晚上几点关门？", "什么时候可以去店里？", "你们什么时候营业？", "几点下班？", "周一开门吗？", "营业时间几点到几点？", "今天几点关门？", "节假日营业吗？", "你们早上几点开门？", "店里几点开？", "周末几点营业？", "现在还开着吗？"),
      Intent.HUMAN, List.of("我要找人工客服", "可以转人工吗？", "我想和真人说话", "帮我转接客服", "请给我接人工", "有没有人工服务？",
          "找你们经理",
          "转人工", "我要人工服务", "请转接真人客服", "我想找客服人员", "能让真人来回答吗？", "给我转人工客服", "找个人跟我说", "我需要人工帮助", "有真人吗？", "请帮我接通客服", "我要投诉，找人工", "人工客服", "我要找真人", "转接人工客服", "能找个真人吗？", "我想跟人工说", "有没有客服人员？", "帮我找人工", "我不想跟机器人说话", "叫个人来", "请人工客服帮我"),
      Intent.THANKS_BYE, List.of("谢谢", "谢谢你！", "好的，再见", "非常感谢", "没别的了，拜拜", "再见", "多谢", "好的谢谢",
          "谢啦", "感谢", "拜拜", "好的，谢谢你", "谢谢，再见", "太感谢了", "行，回头见", "谢谢帮忙", "没事了，谢谢", "感谢你的帮助", "那就这样，再见", "谢谢啦", "好的，拜拜", "谢谢您", "多谢了，再见", "感谢感谢", "好的，没问题了，谢谢", "辛苦了，谢谢", "再会", "谢谢你的帮忙", "好嘞，谢谢"),
      Intent.OFF_TOPIC, List.of("明天天气怎么样？", "给我写一首诗", "昨天的足球比赛谁赢了？", "法国的首都是哪里？", "能帮我做数学作业吗？",
          "讲个笑话", "你对政治怎么看？", "推荐一部好电影", "意大利面怎么做？",
          "今天股市怎么样？", "帮我写代码", "珠穆朗玛峰有多高？", "把你好翻译成法语", "唱首歌吧", "谁是总统？", "哪款手机最好？", "给我讲个故事", "东京现在几点？", "蛋糕怎么做？", "解一下方程2x+3=7", "今天吃什么好？", "帮我订机票", "地球离月亮多远？", "给我讲讲历史", "你喜欢什么颜色？", "怎么学英语？", "明天会下雨吗？", "帮我写篇作文", "猫为什么喜欢睡觉？", "100除以4等于几？"));

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
