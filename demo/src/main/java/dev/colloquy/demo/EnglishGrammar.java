package dev.colloquy.demo;

import java.util.List;
import java.util.Map;

/**
 * The English customer grammars (issue 19): per intent, rules whose openers, cores, objects,
 * politeness and trailing remarks vary independently, so each intent has thousands of surface
 * forms. Lower case: the generator varies the casing. {@code {id}} is the order number.
 */
final class EnglishGrammar {

  private EnglishGrammar() {}

  static final Map<String, String> SLOTS =
      Map.ofEntries(
          Map.entry(
              "pre",
              "|||||hi, |hello, |hey, |hey there, |hiya, |excuse me, |sorry, |quick q: "
                  + "|quick question - |um |so |ok so |good morning, |hello again, |yo |"
                  + "sorry to bug you, |hi there! |morning! |hey guys, |hey acme, "),
          Map.entry("end", "|||?|??|?!| ?|.|!|..."),
          // A remark after the question: the answer stays the intent's one answer.
          Map.entry(
              "tail",
              "||||||| btw love your shop| lol| haha| thx in advance| - it's urgent"
                  + "|, it's for a gift| i'm in a hurry| ty| cheers| 🙏| 🙂| \\:\\)"
                  + "|. sorry for the typos, on my phone|. been a loyal customer for years"
                  + "| - asking for my mum|, thanks a bunch| xx| !!| thank you kindly"
                  + "|. have a good one| (asking for a friend)| tia"),
          Map.entry("please", "|please |pls |plz |kindly |"),
          Map.entry("can", "can you|could you|would you|can u|could u|will you|would you mind to"),
          Map.entry(
              "day",
              "| today| tomorrow| this saturday| on saturday| on saturdays| this sunday"
                  + "| on sundays| on the weekend| this weekend| on monday| on mondays"
                  + "| on holidays| during the week| on weekdays| on bank holidays| tonight"
                  + "| in the morning| on christmas eve| this friday| next week"),
          Map.entry(
              "thing",
              "my order|order|order number|order no.|order #|my order number|my package"
                  + "|package|parcel|my parcel|my delivery|delivery|my shipment|shipment"
                  + "|#|number|the order"),
          Map.entry(
              "mine",
              "my order|my package|my parcel|my delivery|my stuff|the thing i ordered"
                  + "|my purchase|my shipment|my order from last week|my new shoes"),
          Map.entry(
              "human",
              "a human|a real person|a person|someone real|an agent|a live agent|staff"
                  + "|a staff member|customer service|a manager|your supervisor|a real human"
                  + "|an actual person|somebody|a human being|a rep|someone from the team"));

  static final Map<Intent, List<String>> RULES =
      Map.of(
          Intent.GREETING,
          List.of(
              "(hi|hello|hey|hiya|heya|hullo|hii|helo|hey hey|yo|sup|wassup|morning"
                  + "|good morning|gm|evening|afternoon|howdy|hi hi|heyyy|hello hello|hola"
                  + "|g'day|ahoy|hey ho)(| there| all| team| folks| guys| everyone| acme"
                  + "| acme team| support| friend| mate| again| y'all| people)(|!|!!|.|?| \\:\\)"
                  + "| 🙂| 👋|, anyone there?|, anybody around?|, is anyone on duty?"
                  + "|, is someone online?|, you there?|, are you around?|, can someone help?"
                  + "|, i need a hand|, got a sec?|, hope you're well|, how are you doing?"
                  + "|, how's your day?|, i have a question|, need some help here"
                  + "|, is this acme support?|, is the chat working?|, anyone home?)",
              "(|hello, |hi, |hey, |um, )(anyone|anybody|someone|somebody|any human)"
                  + " (there|here|around|online|available|on duty|at the desk|awake"
                  + "|working today|manning the chat)(|?|??| ?|...)",
              "(|hello, |hi, |hey, )(is|are) (anyone|anybody|someone|you guys|you|support)"
                  + " (there|around|online|available|awake|on duty|still here|reading this)"
                  + "(|?|??| ?)",
              "(good|a good|very good|a very good) (morning|afternoon|evening|day)(| to you"
                  + "| acme| team| everyone| all)(|!|.| 🙂)",
              "(hello|hi|hey)(,|) (is this|am i talking to|have i reached|this is) (the acme"
                  + " shop|acme|acme support|the help desk|customer support|the shop chat)"
                  + "(|?|??)"),
          Intent.THANKS_BYE,
          List.of(
              "(thanks|thank you|thank u|thanx|thnx|thx|ty|tysm|thank you so much"
                  + "|thanks so much|thanks a bunch|thanks a million|thanks heaps|much appreciated"
                  + "|appreciated|appreciate it|i appreciate it|really appreciate it|much obliged"
                  + "|many thanks|cheers|ta|thanks mate|thanks buddy|great, thanks|cool thanks"
                  + "|ok cool thanks|perfect thanks|lovely, thanks|brilliant, cheers|nice one"
                  + "|got it thanks|understood, thanks|noted, thanks|alright thanks"
                  + "|that helps, thanks|super helpful, thank you|you're a star"
                  + "|you've been very helpful|thanks loads|grateful, thanks)"
                  + "(|!|!!|.| \\:\\)| 🙏| 👍| 😊|, bye|, bye!|, bye now|, goodbye|, see ya"
                  + "|, see you|, see you around|, later|, take care|, have a good one"
                  + "|, have a great day|, have a nice evening|, catch you later"
                  + "|, that's all i needed|, that's all for now|, nothing else|, i'm done"
                  + "|, all sorted|, talk soon|, bye for now|, cya)",
              "(bye|bye bye|byee|goodbye|good bye|see ya|see you|see you later|cya|later"
                  + "|laters|take care|so long|farewell|catch you later|talk later|ttyl"
                  + "|have a good day|have a nice day|have a good one|ok bye|alright, bye"
                  + "|ok that's all|that's all i needed|that's it for now|nothing else|all good"
                  + "|i'm all set|we're done|all sorted|great, that's everything|that'll be all)"
                  + "(|!|.| 👋|, thanks|, thank you|, thanks again|, and thanks|, cheers"
                  + "|, appreciated|, much obliged|, ty)",
              "(ok|okay|alright|great|perfect|cool|nice|awesome|brilliant|lovely|sweet|got it"
                  + "|understood|noted|right|fab|wonderful)(,| |!|.) (thanks|thank you|thx|cheers"
                  + "|ty|much appreciated|appreciated|thank u)(| so much| a lot| a bunch| loads"
                  + "| again)(|, bye|!|...| 👍|, take care|, see ya)"),
          Intent.OPENING_HOURS,
          List.of(
              "<pre>(when|what time|at what time) (are you|is the shop|is the store|is acme"
                  + "|are you guys) (open|opening|working|around)<day><end><tail>",
              "<pre>(are you|r u|is the shop|is the store|are you guys|is acme) (open|working"
                  + "|closed|still open|open late|open early|open at all|trading)<day><end>"
                  + "<tail>",
              "<pre>(what are|what're|tell me|i need|need|whats|what's|pls share) (your|the"
                  + "|the shop's|the store's|acme's|ur) (opening hours|opening times"
                  + "|working hours|business hours|hours|store hours|hours of operation"
                  + "|open hours|shop hours|trading hours)<day><end><tail>",
              "<pre>(what time|when) do (you|u|you guys) (open|close|shut|start|finish|open up"
                  + "|close up|start work|stop working|shut the doors)<day><end><tail>",
              "<pre>(until|till|til) (when|what time) (are you|is the shop|r u) open<day><end>",
              "<pre>how (late|early) (are you|is the shop|is the store|r u) open<day><end>",
              "<pre>(do you|does the shop|does the store|do u) (work|open|trade|operate)"
                  + "<day><end><tail>",
              "(hours|opening hours|working hours|open times|business hours)<day>(|?|??"
                  + "| please| pls)"),
          Intent.ORDER_STATUS,
          List.of(
              "<pre>(where is|where's|wheres|what's the status of|what is happening with"
                  + "|any update on|any news on|<please>check|<please>track|<can> check"
                  + "|<can> track|<can> look up|status of|status for|update on"
                  + "|i'd like an update on|what about|how's|how is) (<thing>) {id}<end><tail>",
              "<pre>{id} (status|update|where is it|any news|any update|still not here"
                  + "|hasn't arrived|has not arrived yet|is it shipped|shipped yet|pls"
                  + "|- where is it|, when will it come)<end>",
              "<pre>(i ordered|i placed an order|i bought something|i got an order in"
                  + "|i paid for an order)(| last week| a few days ago| on monday| yesterday)"
                  + "(,|.) (the number is|order number|it's|order no|number|ref|id) {id}(,|.)"
                  + " (where is it|any news|when will it come|is it shipped|can you check"
                  + "|what's the status)<end>",
              "<pre>(my|the) (order|package|parcel|delivery) {id} (hasn't arrived|hasn't come"
                  + "|is late|is missing|never came|still isn't here|is taking forever"
                  + "|hasn't shipped)(, what's going on| - any news|, can you check|, help"
                  + "|)<end><tail>",
              "<pre>(<can>|<please>) (tell me|let me know) (where|when) (<thing>) {id}"
                  + " (is|will arrive|will come|will ship)<end><tail>"),
          Intent.ASK_ORDER_ID,
          List.of(
              "<pre>(where is|where's|wheres|what's the status of|any update on|<can> check"
                  + "|<can> track|<please>track|check on|what happened to|any news about"
                  + "|status of|<can> look up) (<mine>)<end><tail>",
              "<pre>(my|the) (order|package|parcel|delivery|shipment|stuff) (hasn't arrived"
                  + "|never came|didn't arrive|didn't show up|is late|is missing"
                  + "|still isn't here|is taking forever|hasn't shipped yet|got lost"
                  + "|seems stuck)<end><tail>",
              "<pre>(i ordered|i bought|i placed an order for|i paid for) (stuff|something"
                  + "|a jacket|shoes|a gift|two things|a lamp) (last week|days ago|on monday"
                  + "|a while ago|ten days ago|yesterday)(,| and|.) (it's not here"
                  + "|nothing came|still nothing|haven't got it|where is it|no sign of it)"
                  + "<end>",
              "<pre>(has|did) (<mine>) (shipped|ship|arrive|go out|leave the warehouse)"
                  + "(| yet)<end><tail>",
              // English with a Chinese word in it is still English: the answer is English.
              "<pre>(where is|any news about|what happened to|can you check) my (快递|包裹)"
                  + " (from last week|i ordered|please|at all)<end>"),
          Intent.DELIVERY_TIME,
          List.of(
              "<pre>(how long|how many days|how much time) (does|will|would) (delivery"
                  + "|shipping|the delivery|the shipping|postage|shipment|it) (take|usually"
                  + " take|normally take|typically take)<end><tail>",
              "<pre>(how long|how many days|how fast|how soon|how quickly) (until|till"
                  + "|before|) (i get|i receive|it arrives|it gets here|my stuff arrives"
                  + "|orders arrive|it ships)(| if i order today| after i order"
                  + "| after ordering| once i pay)<end><tail>",
              "<pre>(what's|what is|whats|tell me) (the|your|ur) (delivery time"
                  + "|shipping time|delivery times|shipping times|delivery speed"
                  + "|transit time|eta for new orders|usual delivery time"
                  + "|normal shipping time)<end><tail>",
              "<pre>(is|) (delivery|shipping) (fast|quick|slow|speedy)(| with you| here"
                  + "| at acme)<end><tail>",
              "<pre>(if i|when i) (order|buy|purchase|check out) (today|now|this morning"
                  + "|tonight), (when will it|when does it|when would it|how soon will it"
                  + "|how fast will it) (arrive|come|get here|be delivered|show up)<end>"
                  + "<tail>"),
          Intent.RETURNS,
          List.of(
              "<pre>(can i|could i|how do i|how can i|how would i|is it possible to"
                  + "|am i able to|i want to|i'd like to|i wanna|i need to) (return"
                  + "|send back|exchange|get a refund for|get my money back for|refund)"
                  + " (this|it|an item|my order|these shoes|the jacket|a gift"
                  + "|something i bought|the dress|a broken item|stuff i don't like"
                  + "|the wrong size)<end><tail>",
              "<pre>(what's|what is|whats|tell me) (your|the|ur) (return policy"
                  + "|returns policy|refund policy|return process|refund process"
                  + "|exchange policy|return window|returns rules)<end><tail>",
              "<pre>(the item|it|the thing|my order|the shirt|the shoes) (is broken"
                  + "|doesn't fit|arrived damaged|is the wrong size|isn't what i wanted"
                  + "|is faulty)(,|.| -) (can i (return|send back|exchange) it"
                  + "|i want a refund|how do i return it|what now|refund pls)<end>",
              "<pre>(how long|how many days) (do i have|is the window|have i got) to"
                  + " (return|send back|exchange) (something|an item|it|stuff)<end>",
              "<pre>(how long|how many days) (does|will) (a refund|the refund|my refund"
                  + "|getting my money back) take<end><tail>",
              "<pre>(do you|does acme|does the shop) (do|accept|offer|allow) (refunds"
                  + "|returns|exchanges|money back)<end><tail>"),
          Intent.HUMAN,
          List.of(
              "<pre>(can i|could i|i want to|i'd like to|i need to|let me|i wanna|may i"
                  + "|please let me) (talk to|speak to|speak with|chat with|talk with|get)"
                  + " (<human>)<end><tail>",
              "(<human>|human|real person|live agent|agent|operator|representative)(,|)"
                  + " (please|pls|now|asap|!|)",
              "<pre>(connect|transfer|put|pass) me (to|through to|over to) (<human>)(,|)"
                  + " (please|pls|now|)<end>",
              "<pre>(is there|do you have|have you got) (<human>|anyone real|live support"
                  + "|live chat|human agents) (i can talk to|available|around|here|online"
                  + "|)<end>",
              "(i don't want|i hate|no more|stop with the|enough of the) (a bot|bots"
                  + "|the bot|robots|the chatbot|automated replies)(, |. )(get me|give me"
                  + "|i want) (<human>)<end>"),
          Intent.OFF_TOPIC,
          List.of(
              "<pre>(<can> |<please>|i need you to |)(tell me a joke|write a poem"
                  + "|give me a recipe for soup|recommend a movie|explain black holes"
                  + "|help with my homework|find me a hotel|translate this to spanish"
                  + "|check the weather|book a taxi|summarize this article|fix my laptop"
                  + "|pick lottery numbers|teach me chess|write my cover letter"
                  + "|tell me about the moon|plan a date night|name my cat)<end><tail>",
              "<pre>(what's|what is|who is|who's|where is) (the tallest building"
                  + "|the best pizza place|your favourite colour|the prime minister"
                  + "|the score of the game|the meaning of life|the capital of peru"
                  + "|the fastest animal|a good podcast)<end><tail>",
              "<pre>(do you|can you|could you) (like music|dream|speak french|play chess"
                  + "|predict the future|do my essay|hack my ex's account)<end>"));

  /** An order number given casually after the shop asked for it. */
  static final List<String> FOLLOW_UPS =
      List.of(
          "(yeah|yes|yep|yup|sure|ok|oh|ah|um|right|sorry|oops|hmm|)(,| -|) (it's|its|it is"
              + "|it was|that's|the number is|order number is|number's|i think it's|should be"
              + "|it should be|i believe it's|pretty sure it's|my order is|order|#|found it,"
              + "|here:|there you go,|it's order|) {id}( i think| i guess| maybe"
              + "| if i remember right| thanks| please| ty| 🙂|)(|.|!)",
          "{id} (is the number|is my order|is the order number|is it|i think|thanks|pls"
              + "|that's the one|- that's it|)",
          "(ah|oh|ok|right) (found it|got it|here it is|it's on the receipt)(,|:| -) {id}");
}
